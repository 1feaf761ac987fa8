"""A real S3 API (moto) behind a serializing, fault-injecting proxy, for SpecimenS3Tests.

Started by the Swift test helper `S3Harness` as `python s3_server.py`; it prints one line

    READY <proxy port> <access key id> <secret access key> <TLS port>

and serves until its standard input closes (the test process exited), so it never outlives the
tests. Both servers listen on 127.0.0.1 on ports the kernel chose (port 0), so nothing races for
a port.

moto runs in this process (`ThreadedMotoServer`) with IAM authentication on
(INITIAL_NO_AUTH_ACTION_COUNT=0): every request must carry a SigV4 signature that moto recomputes
with botocore and the access key of a user this script creates, so the tests prove the Swift
signer against an independent implementation, and a wrong secret gets SignatureDoesNotMatch.

The proxy in front of moto:

* forwards requests unchanged (the Host header too, since it is signed);
* runs writes (PUT, POST, DELETE) one at a time: moto checks `If-None-Match: *` without a lock,
  so two racing conditional creates could both succeed there, while S3 and MinIO decide them
  atomically; serialized, moto behaves like them and the tests prove the client's protocol;
* injects faults on a schedule the test posts (`POST /__harness/faults`), each rule matching a
  bucket, a method, and optionally a substring of the key or query, for `count` requests:
  `reset` (close the connection with a TCP reset), `500` (InternalError), `503` (SlowDown),
  `stall` (answer nothing for `seconds`), `truncate` (declare 10 bytes more than the body, send half of it, close),
  `body` (answer `status` with the rule's `body` and `headers`, e.g. malformed XML), `huge` (declare a
  `Content-Length` of `length` bytes, send 16, close); with
  `"after": true` the request is forwarded to moto first, so it takes effect and only its
  answer is lost, the case a retry of a conditional create must recognise;
* also listens with TLS, on the last port of the READY line, with a self-signed certificate
  that clients must refuse (the request never reaches moto, so it is never logged);
* logs every request per bucket (`GET /__harness/log?bucket=`) so tests can count what reached
  moto.

Other control endpoints: `POST /__harness/bucket?name=` (create a bucket with versioning on),
`GET /__harness/versions?bucket=&key=` (how many versions a key has),
`POST /__harness/seed?bucket=&prefix=&count=` (create objects directly in moto's backend),
`POST /__harness/load?bucket=&prefix=&folder=` (put every file under a local folder directly into
moto's backend, keyed `prefix` + its relative path; for specimen-bench).
"""

import datetime
import http.client
import json
import logging
import os
import socket
import ssl
import struct
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "0"
os.environ.setdefault("MOTO_ALLOW_NONEXISTENT_REGION", "true")

from moto.iam.models import iam_backends  # noqa: E402
from moto.moto_server.threaded_moto_server import ThreadedMotoServer  # noqa: E402
from moto.s3.models import s3_backends  # noqa: E402

ACCOUNT = "123456789012"
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "expect"}

write_lock = threading.Lock()
state_lock = threading.Lock()
faults = []  # dicts: bucket, method, key, query, fault, after, count, seconds
log = {}  # bucket -> list of {method, path, query, status, fault}


def s3():
    return s3_backends[ACCOUNT]["aws"]


def make_user():
    iam = iam_backends[ACCOUNT]["global"]
    iam.create_user("us-east-1", "specimen-tests")
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    iam.put_user_policy("specimen-tests", "s3-all", json.dumps(policy))
    key = iam.create_access_key("specimen-tests")
    return key.access_key_id, key.secret_access_key


def bucket_and_key(path):
    parts = path.lstrip("/").split("/", 1)
    return unquote(parts[0]), unquote(parts[1]) if len(parts) > 1 else ""


def error_body(code, message):
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code>'
            f"<Message>{message}</Message><RequestId>proxy</RequestId></Error>").encode()


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    upstream = None  # (host, port)

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.handle_any()

    do_PUT = do_POST = do_DELETE = do_HEAD = do_GET

    # -- control --------------------------------------------------------------------------------

    def control(self, split, body):
        query = {k: v[0] for k, v in parse_qs(split.query).items()}
        name = split.path[len("/__harness/"):]
        if name == "bucket":
            s3().create_bucket(query["name"], "us-east-1")
            s3().put_bucket_versioning(query["name"], "Enabled")
            return {"ok": True}
        if name == "faults":
            rules = json.loads(body or b"[]")
            with state_lock:
                faults.extend(rules)
            return {"ok": True}
        if name == "log":
            with state_lock:
                return list(log.get(query["bucket"], []))
        if name == "versions":
            versions = s3().get_bucket(query["bucket"]).keys.getlist(query["key"], [])
            return {"versions": len(versions)}
        if name == "load":
            # Every file under a local folder, put directly into moto's backend under the prefix
            # (for specimen-bench: far faster than one signed PUT per file).
            root, prefix, count = query["folder"], query.get("prefix", ""), 0
            for folder, _, names in os.walk(root):
                for file_name in names:
                    path = os.path.join(folder, file_name)
                    with open(path, "rb") as handle:
                        data = handle.read()
                    s3().put_object(query["bucket"], prefix + os.path.relpath(path, root).replace(os.sep, "/"), data)
                    count += 1
            return {"ok": True, "objects": count}
        if name == "seed":
            for index in range(int(query["count"])):
                key = f"{query.get('prefix', '')}{index:05d}"
                s3().put_object(query["bucket"], key, key.encode())
            return {"ok": True}
        raise KeyError(name)

    # -- forwarding -----------------------------------------------------------------------------

    def take_fault(self, method, bucket, key, query):
        with state_lock:
            for rule in faults:
                if rule.get("count", 1) <= 0 or rule.get("bucket") != bucket:
                    continue
                if rule.get("method") and rule["method"] != method:
                    continue
                if rule.get("key") and rule["key"] not in key:
                    continue
                if rule.get("query") and rule["query"] not in query:
                    continue
                rule["count"] = rule.get("count", 1) - 1
                return rule
        return None

    def forward(self, body):
        connection = http.client.HTTPConnection(*self.upstream, timeout=60)
        try:
            connection.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                    connection.putheader(name, value)
            connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            response = connection.getresponse()
            data = response.read()
            return response.status, response.getheaders(), data
        finally:
            connection.close()

    def reset(self):
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def reply(self, status, headers, data, truncate=False):
        self.send_response_only(status)
        for name, value in headers:
            if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                self.send_header(name, value)
        if self.command == "HEAD":
            declared = dict((name.lower(), value) for name, value in headers).get("content-length", "0")
        else:
            declared = str(len(data) + 10) if truncate else str(len(data))
        self.send_header("Content-Length", declared)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data[: len(data) // 2] if truncate else data)
        self.wfile.flush()
        if truncate:
            self.reset()

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        split = urlsplit(self.path)
        if split.path.startswith("/__harness/"):
            try:
                result, status = self.control(split, body), 200
            except Exception as error:  # noqa: BLE001 - reported to the test
                result, status = {"error": repr(error)}, 500
            self.reply(status, [("Content-Type", "application/json")], json.dumps(result).encode())
            return
        bucket, key = bucket_and_key(split.path)
        rule = self.take_fault(self.command, bucket, key, split.query)
        fault = rule["fault"] if rule else None
        after = bool(rule and rule.get("after"))
        entry = {"method": self.command, "key": key, "query": split.query, "fault": fault, "after": after}
        with state_lock:
            log.setdefault(bucket, []).append(entry)
        if fault and not after:
            self.inject(rule, None)
            return
        if self.command in ("PUT", "POST", "DELETE"):
            with write_lock:
                status, headers, data = self.forward(body)
        else:
            status, headers, data = self.forward(body)
        entry["status"] = status
        if fault:
            self.inject(rule, (status, headers, data))
            return
        self.reply(status, headers, data)

    def inject(self, rule, upstream):
        fault = rule["fault"]
        if fault == "reset":
            self.reset()
        elif fault == "500":
            self.reply(500, [("Content-Type", "application/xml")], error_body("InternalError", "We encountered an internal error. Please try again."))
        elif fault == "503":
            self.reply(503, [("Content-Type", "application/xml")], error_body("SlowDown", "Please reduce your request rate."))
        elif fault == "stall":
            time.sleep(float(rule.get("seconds", 5)))
            self.reset()
        elif fault == "truncate" and upstream:
            self.reply(*upstream, truncate=True)
        elif fault == "body":
            headers = [("Content-Type", "application/xml")] + list((rule.get("headers") or {}).items())
            self.reply(int(rule.get("status", 200)), headers, rule.get("body", "").encode())
        elif fault == "huge":
            self.send_response_only(200)
            self.send_header("Content-Length", str(rule.get("length", 10**15)))
            self.end_headers()
            self.wfile.write(b"x" * 16)
            self.wfile.flush()
            self.reset()
        else:
            self.reply(500, [], error_body("InternalError", f"unknown fault {fault}"))


def self_signed_context():
    """A TLS context with a fresh self-signed certificate for 127.0.0.1, which no client trusts."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
                   .not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(__import__("ipaddress").ip_address("127.0.0.1"))]), critical=False)
                   .sign(key, hashes.SHA256()))
    folder = tempfile.mkdtemp(prefix="s3-harness-tls-")
    cert_path, key_path = os.path.join(folder, "cert.pem"), os.path.join(folder, "key.pem")
    with open(cert_path, "wb") as handle:
        handle.write(certificate.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    return context


def main():
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    Proxy.upstream = moto.get_host_and_port()
    access_key, secret = make_user()
    proxy = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    proxy.daemon_threads = True
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    # The same proxy over TLS with an untrusted certificate: clients must refuse to talk to it.
    untrusted = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    untrusted.daemon_threads = True
    untrusted.socket = self_signed_context().wrap_socket(untrusted.socket, server_side=True)
    threading.Thread(target=untrusted.serve_forever, daemon=True).start()
    print(f"READY {proxy.server_address[1]} {access_key} {secret} {untrusted.server_address[1]}", flush=True)
    sys.stdin.read()  # until the test process goes away


if __name__ == "__main__":
    main()

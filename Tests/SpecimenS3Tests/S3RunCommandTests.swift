import Crypto
import Foundation
import InteropSupport
import MessagePack
import Parallel
import Parquet
import SpecimenS3
import Specimens
import Testing

/// `specimen run` and `specimen rerun` of S3 specimens, and `ProtocolLauncher` on `S3Storage`:
/// the protocol runs in a local scratch folder, its rows reach the run's journal in the bucket,
/// and the files it leaves in its run folder are uploaded and checksummed at sealing.
@Suite struct S3RunCommandTests {
    let harness: S3Harness

    init() throws { harness = try S3Harness.get() }

    /// Logs `steps` rows through SPECIMEN_METRICS, leaves files in its run folder (a visible
    /// one, one in a subfolder, a hidden one), prints its working folder and a file of the
    /// specimen, and exits with the `exit` param.
    static let protocolText = """
        import json, os, sys
        params = json.loads(os.environ["SPECIMEN_PARAMS"])
        run = os.environ["SPECIMEN_RUN_DIR"]
        with open(os.environ["SPECIMEN_METRICS"], "a") as f:
            for step in range(params.get("steps", 5)):
                f.write(json.dumps({"step": step, "loss": 1.0 / (step + 1)}) + "\\n")
        with open(os.path.join(run, "model.txt"), "w") as f:
            f.write("weights for lr=%s\\n" % params.get("lr"))
        os.makedirs(os.path.join(run, "ckpt"))
        with open(os.path.join(run, "ckpt", "last.bin"), "wb") as f:
            f.write(bytes(range(256)) * 40)
        with open(os.path.join(run, ".cache"), "w") as f:
            f.write("hidden")
        with open(os.path.join(run, "manifest.msgpack"), "w") as f:
            f.write("not a manifest")
        print("cwd", os.getcwd())
        print("helper", open("helper.txt").read().strip())
        sys.exit(int(params.get("exit", 0)))

        """

    /// The model file the protocol writes for `lr`.
    static func model(lr: String) -> [UInt8] { Array("weights for lr=\(lr)\n".utf8) }

    /// The lowercase hexadecimal SHA-256 of `bytes`.
    static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// A bucket holding the specimen `lab/<name>` with `protocol.py` and `helper.txt`.
    func bucketWithSpecimen(_ label: String, name: String = "demo", protocolText: String = S3RunCommandTests.protocolText) throws -> (bucket: String, client: S3Client, storage: S3Storage) {
        let bucket = try harness.makeBucket(label)
        let client = try harness.client(bucket)
        try client.put("lab/\(name)/protocol.py", Array(protocolText.utf8))
        try client.put("lab/\(name)/helper.txt", Array("from the bucket\n".utf8))
        return (bucket, client, try S3Storage(client: client, root: try S3Address(bucket: bucket)))
    }

    /// A home folder with its own temporary folder, for `specimen` children.
    static func home() throws -> (home: String, temporary: String) {
        let home = try S3Upload.temporaryFolder()
        let temporary = home + "/tmp"
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        return (home, temporary)
    }

    /// Runs `specimen arguments…` with the harness's credentials and endpoint, no AWS files,
    /// `home.temporary` as `TMPDIR` and a short flush interval.
    func cli(_ arguments: [String], home: (home: String, temporary: String), root: String? = nil) throws -> ProcessResult {
        var environment = ProcessInfo.processInfo.environment
        for name in environment.keys where name.hasPrefix("AWS_") || name.hasPrefix("SPECIMEN_") { environment[name] = nil }
        environment["HOME"] = home.home
        environment["TMPDIR"] = home.temporary
        environment["NO_COLOR"] = "1"
        environment["AWS_ACCESS_KEY_ID"] = harness.accessKeyID
        environment["AWS_SECRET_ACCESS_KEY"] = harness.secretAccessKey
        environment["AWS_REGION"] = "us-east-1"
        environment["AWS_ENDPOINT_URL"] = harness.endpoint.absoluteString
        environment["SPECIMEN_FLUSH_INTERVAL"] = "0.5"
        if let root { environment["SPECIMEN_ROOT"] = root }
        return try ProcessResult.run(S3CLITests.binary, arguments, environment: environment, currentDirectory: home.home)
    }

    /// The scratch folders left in `temporary`.
    static func scratchFolders(_ temporary: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []).filter { $0.hasPrefix("specimen-run-") }
    }

    /// Every object of the runs in `bucket` has one version: nothing in a run was overwritten
    /// (the tests replace the specimen's protocol themselves).
    func expectNoOverwrites(_ bucket: String, _ client: S3Client) throws {
        for object in try client.list(prefix: "").objects where object.key.contains("/runs/") {
            #expect(try harness.versions(bucket, object.key) == 1, "\(object.key)")
        }
    }

    /// Checks the sealed run `id` the protocol made with `lr` and `exit`.
    func expectRun(_ specimen: Specimen, _ id: RunID, lr: String, status: RunStatus, exit: Int) throws {
        let info = try specimen.runInfo(id)
        #expect(info.state == .sealed(status))
        #expect(info.rows == 5)
        let manifest = try #require(info.manifest)
        #expect(manifest["exit_code"]?.intValue == Int64(exit))
        let files = try #require(manifest["files"]?.mapValue)
        let names = Set(files.keys.compactMap(\.stringValue))
        #expect(names == ["model.txt", "ckpt/last.bin", "metrics.jsonl", "metrics.parquet", "output.log", "source/protocol.py"], "\(names)")
        #expect(manifest["files"]?["model.txt"]?["sha256"]?.stringValue == Self.sha256(Self.model(lr: lr)))
        #expect(manifest["files"]?["model.txt"]?["size"]?.intValue == Int64(Self.model(lr: lr).count))
        let checkpoint = (0 ..< 40).flatMap { _ in (0 ..< 256).map { UInt8($0) } }
        #expect(manifest["files"]?["ckpt/last.bin"]?["sha256"]?.stringValue == Self.sha256(checkpoint))
        #expect(manifest["protocol"]?["path"]?.stringValue == "protocol.py")
        #expect(manifest["source"]?["command"] == .array(["python3", "protocol.py"]))
        // A file under the name of the store's own is not uploaded, and the manifest says so.
        let warnings = manifest["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(warnings.contains { $0.hasPrefix("manifest.msgpack, left in the run folder by the protocol, was not uploaded") }, "\(warnings)")
        let table = try specimen.readMetrics(run: id)
        #expect(table.rowCount == 5)
        if case .double(let losses)? = table["loss"]?.values { #expect(Array(losses) == [1.0, 0.5, 1.0 / 3, 0.25, 0.2]) } else { Issue.record("no loss column") }
        let report = try specimen.verify(run: id)
        #expect(report.changed.isEmpty && report.missing.isEmpty && report.extra.isEmpty, "\(report)")
        #expect(report.verified == names.count)
    }

    @Test func runAnS3SpecimenUploadsItsFilesAndRowsAndRerunsItsSnapshot() throws {
        let (bucket, client, storage) = try bucketWithSpecimen("run")
        let home = try Self.home()
        defer { try? FileManager.default.removeItem(atPath: home.home) }
        let path = "s3://\(bucket)/lab/demo"

        let run = try cli(["run", path, "--param", "lr=0.5"], home: home)
        #expect(run.status == 0, "\(run.stderrText)")
        let specimen = try Specimen(at: path, storage: storage)
        let first = try #require(try specimen.listRuns().first)
        try expectRun(specimen, first, lr: "0.5", status: .completed, exit: 0)
        // The protocol ran in a copy of the specimen, now removed; its output was kept.
        let log = String(decoding: try client.get("lab/demo/runs/\(first)/output.log"), as: UTF8.self)
        #expect(log.contains("helper from the bucket") && log.contains("cwd \(home.temporary)/specimen-run-"), "\(log)")
        #expect(Self.scratchFolders(home.temporary).isEmpty)
        // A hidden file stays hidden: uploaded, not listed.
        #expect(try client.get("lab/demo/runs/\(first)/.cache") == Array("hidden".utf8))

        // A protocol that fails: sealed as failed with its exit code, and `specimen run` exits with it.
        let failed = try cli(["run", "demo", "--root", "s3://\(bucket)/lab", "--param", "lr=0.25", "--param", "exit=3"], home: home)
        #expect(failed.status == 3, "\(failed.stderrText)")
        let second = try #require(try specimen.listRuns().last)
        #expect(second != first)
        try expectRun(specimen, second, lr: "0.25", status: .failed, exit: 3)
        #expect(Self.scratchFolders(home.temporary).isEmpty)

        // Rerun it while the specimen's protocol has changed: the run's own snapshot runs.
        try client.put("lab/demo/protocol.py", Array("import sys\nsys.exit(9)\n".utf8))
        let rerun = try cli(["rerun", "demo", second.rawValue, "--param", "exit=0"], home: home, root: "s3://\(bucket)/lab")
        #expect(rerun.status == 0, "\(rerun.stderrText)")
        let third = try #require(try specimen.listRuns().last)
        #expect(third != second)
        try expectRun(specimen, third, lr: "0.25", status: .completed, exit: 0)
        let manifest = try #require(try specimen.runInfo(third).manifest)
        #expect(manifest["rerun_of"]?.stringValue == second.rawValue)
        #expect(manifest["source"]?["from_run"]?.stringValue == second.rawValue)
        #expect(manifest["files"]?["source/protocol.py"]?["sha256"] == (try specimen.runInfo(second).manifest)?["files"]?["source/protocol.py"]?["sha256"])
        #expect(Self.scratchFolders(home.temporary).isEmpty)
        try expectNoOverwrites(bucket, client)
    }

    @Test func runsStartedAtOnceEachGetTheirOwnRunAndFiles() throws {
        let (bucket, client, storage) = try bucketWithSpecimen("many")
        let home = try Self.home()
        defer { try? FileManager.default.removeItem(atPath: home.home) }
        let path = "s3://\(bucket)/lab/demo"
        let count = 8
        let results = Slots<Result<ProcessResult, any Error>>(count: count)
        Parallel.forEach(count, threads: count) { index in
            results.set(index, Result { try cli(["run", path, "--param", "lr=\(index + 1)"], home: home) })
        }
        for result in results.values {
            let run = try #require(try result?.get())
            #expect(run.status == 0, "\(run.stderrText)")
        }
        let specimen = try Specimen(at: path, storage: storage)
        let ids = try specimen.listRuns()
        #expect(ids.count == count)
        var rates: Set<Int64> = []
        for id in ids {
            let lr = try #require(try specimen.runInfo(id).params["lr"]?.intValue)
            rates.insert(lr)
            try expectRun(specimen, id, lr: String(lr), status: .completed, exit: 0)
        }
        #expect(rates == Set((1 ... Int64(count)).map { $0 }))
        #expect(Self.scratchFolders(home.temporary).isEmpty)
        try expectNoOverwrites(bucket, client)
    }

    @Test func aCommandAfterDoubleDashRunsInTheScratchCopy() throws {
        let (bucket, client, storage) = try bucketWithSpecimen("dash")
        let home = try Self.home()
        defer { try? FileManager.default.removeItem(atPath: home.home) }
        let script = #"cat helper.txt > "$SPECIMEN_RUN_DIR/out.txt"; echo '{"x": 1}' >> "$SPECIMEN_METRICS"; echo '{"x": 2}' >> "$SPECIMEN_METRICS""#
        let run = try cli(["run", "demo", "--", "/bin/sh", "-c", script], home: home, root: "s3://\(bucket)/lab")   // SPECIMEN_ROOT
        #expect(run.status == 0, "\(run.stderrText)")
        let specimen = try Specimen(at: "s3://\(bucket)/lab/demo", storage: storage)
        let id = try #require(try specimen.listRuns().first)
        let info = try specimen.runInfo(id)
        #expect(info.state == .sealed(.completed))
        #expect(info.rows == 2)
        let manifest = try #require(info.manifest)
        #expect(manifest["files"]?["out.txt"]?["sha256"]?.stringValue == Self.sha256(Array("from the bucket\n".utf8)))
        #expect(manifest["source"]?["command"] == .array(["/bin/sh", "-c", .string(script)]))
        #expect(try client.get("lab/demo/runs/\(id)/out.txt") == Array("from the bucket\n".utf8))
        #expect(Self.scratchFolders(home.temporary).isEmpty)
        try expectNoOverwrites(bucket, client)
    }

    @Test func aLibraryProtocolJoinsTheRunThroughItsScratchFolder() throws {
        let (bucket, client, storage) = try bucketWithSpecimen("join")
        let home = try Self.home()
        defer { try? FileManager.default.removeItem(atPath: home.home) }
        // A Swift protocol opening its working folder joins the run, as on disk; its journal
        // is uploaded at sealing and its rows merged.
        let run = try cli(["run", "demo", "--param", "size=3", "--", S3ProcessTests.testbed, "join", ".", "5"], home: home, root: "s3://\(bucket)/lab")
        #expect(run.status == 0, "\(run.stderrText)")
        let specimen = try Specimen(at: "s3://\(bucket)/lab/demo", storage: storage)
        let id = try #require(try specimen.listRuns().first)
        #expect(run.stdoutText.contains(id.rawValue), "\(run.stdoutText)")
        let info = try specimen.runInfo(id)
        #expect(info.state == .sealed(.completed))
        #expect(info.rows == 5)
        #expect(info.params == ["size": 3, "child": "swift"])
        #expect(try specimen.readMetrics(run: id)["child_i"] != nil)
        #expect(Self.scratchFolders(home.temporary).isEmpty)
        try expectNoOverwrites(bucket, client)
    }

    @Test func aSpecimenMadeByNewInTheBucketRunsItsTemplate() throws {
        let bucket = try harness.makeBucket("new")
        let client = try harness.client(bucket)
        let home = try Self.home()
        defer { try? FileManager.default.removeItem(atPath: home.home) }
        let made = try cli(["new", "fresh", "--protocol", "sh"], home: home, root: "s3://\(bucket)/lab")
        #expect(made.status == 0, "\(made.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: home.home + "/s3:"), "created locally")
        #expect(try client.head("lab/fresh/protocol.sh") != nil && client.head("lab/fresh/manifest.msgpack") != nil)
        #expect(try cli(["new", "fresh"], home: home, root: "s3://\(bucket)/lab").status != 0)   // never replaced
        let run = try cli(["run", "fresh"], home: home, root: "s3://\(bucket)/lab")
        #expect(run.status == 0, "\(run.stderrText)")
        let specimen = try Specimen(at: "s3://\(bucket)/lab/fresh", storage: try S3Storage(client: client, root: try S3Address(bucket: bucket)))
        let id = try #require(try specimen.listRuns().first)
        let info = try specimen.runInfo(id)
        #expect(info.state == .sealed(.completed))
        #expect(info.rows == 10)
        #expect(info.manifest?["protocol"]?["path"]?.stringValue == "protocol.sh")
        #expect(Self.scratchFolders(home.temporary).isEmpty)
        try expectNoOverwrites(bucket, client)
    }

    @Test func aFailedUploadLeavesTheRunUnsealedAndTheScratchFolderKept() throws {
        let (bucket, client, storage) = try bucketWithSpecimen("upload")
        let home = try Self.home()
        defer { try? FileManager.default.removeItem(atPath: home.home) }
        let path = "s3://\(bucket)/lab/demo"
        // Every attempt to upload model.txt fails.
        try harness.inject([.init(bucket: bucket, method: "PUT", fault: "500", count: 100, key: "/model.txt")])
        let run = try cli(["run", path, "--param", "lr=0.5"], home: home)
        #expect(run.status != 0)
        let scratch = try #require(Self.scratchFolders(home.temporary).first, "\(run.stderrText)")
        let specimen = try Specimen(at: path, storage: storage)
        let id = try #require(try specimen.listRuns().first)
        let kept = "\(home.temporary)/\(scratch)/demo/runs/\(id)"
        #expect(run.stderrText.contains("kept in \(kept)"), "\(run.stderrText)")
        #expect(run.stderrText.contains("specimen recover \(path)"), "\(run.stderrText)")
        #expect(!run.stderrText.contains(harness.secretAccessKey))
        #expect(FileManager.default.contents(atPath: kept + "/model.txt") == Data(Self.model(lr: "0.5")))
        #expect(try client.head("lab/demo/runs/\(id)/manifest.msgpack") == nil)
        #expect(try client.head("lab/demo/runs/\(id)/metrics.parquet") == nil)
        // Its writer is gone: crashed, and `recover` seals it with every row.
        guard case .crashed = try specimen.runInfo(id).state else {
            Issue.record("expected crashed, got \(try specimen.runInfo(id).state)")
            return
        }
        let recover = try cli(["recover", path], home: home)
        #expect(recover.status == 0, "\(recover.stderrText)")
        let info = try specimen.runInfo(id)
        #expect(info.state == .sealed(.crashed))
        #expect(info.rows == 5)
        try expectNoOverwrites(bucket, client)
    }

    @Test func theLauncherUploadsLargeFilesInPartsAndRemovesItsScratchFolder() throws {
        let large = 11 << 20
        let text = """
            import os
            with open(os.path.join(os.environ["SPECIMEN_RUN_DIR"], "weights.bin"), "wb") as f:
                f.write(bytes(range(256)) * (\(large) // 256))
            with open(os.environ["SPECIMEN_METRICS"], "a") as f:
                f.write('{"done": 1}\\n')

            """
        let name = "big\(UInt32.random(in: 0 ... .max))"
        let (bucket, _, _) = try bucketWithSpecimen("large", name: name, protocolText: text)
        let client = try harness.client(bucket) {
            $0.multipartThreshold = 5 << 20
            $0.partSize = 5 << 20
        }
        let storage = try S3Storage(client: client, root: try S3Address(bucket: bucket))
        let path = "s3://\(bucket)/lab/\(name)"
        var launcher = ProtocolLauncher(specimen: path, storage: storage)
        launcher.params = ["seed": 7]
        var announced: RunID?
        let outcome = try launcher.launch { id, _ in announced = id }
        #expect(outcome.status == .completed && outcome.exitStatus == 0)
        #expect(announced == outcome.runID)
        let specimen = try Specimen(at: path, storage: storage)
        let info = try specimen.runInfo(outcome.runID)
        #expect(info.state == .sealed(.completed))
        #expect(info.rows == 1)
        #expect(info.params == ["seed": 7])
        let weights = (0 ..< large / 256).flatMap { _ in (0 ..< 256).map { UInt8($0) } }
        #expect(info.manifest?["files"]?["weights.bin"]?["sha256"]?.stringValue == Self.sha256(weights))
        #expect(info.manifest?["files"]?["weights.bin"]?["size"]?.intValue == Int64(large))
        let log = try harness.log(bucket)
        #expect(log.contains { $0.method == "POST" && $0.key.hasSuffix("/weights.bin") && $0.query.contains("uploads") }, "not uploaded in parts")
        let report = try specimen.verify(run: outcome.runID)
        #expect(report.changed.isEmpty && report.missing.isEmpty && report.extra.isEmpty, "\(report)")
        // No scratch folder of this specimen is left in the temporary folder.
        let temporary = NSTemporaryDirectory()
        for folder in Self.scratchFolders(temporary) {
            #expect(!FileManager.default.fileExists(atPath: temporary + "/" + folder + "/" + name), "\(folder) was left")
        }
        try expectNoOverwrites(bucket, client)
    }
}

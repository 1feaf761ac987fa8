public import Foundation

/// Where S3 is and how to sign for it: region, endpoint, addressing style, credentials and the
/// client's options.
///
/// ``fromEnvironment(_:homeDirectory:)`` finds them as every AWS tool does:
///
/// | setting | looked up in, first found wins |
/// |---|---|
/// | credentials | `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`); the profile in the credentials file; the profile in the config file |
/// | profile | `AWS_PROFILE`, else `default` |
/// | region | `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, else `us-east-1` |
/// | endpoint | `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`, the profile's `endpoint_url`, else AWS |
/// | files | `AWS_SHARED_CREDENTIALS_FILE` (`~/.aws/credentials`), `AWS_CONFIG_FILE` (`~/.aws/config`, sections `[default]` and `[profile NAME]`) |
///
/// With an explicit endpoint (MinIO, moto, a gateway) requests use path-style addressing
/// (`https://endpoint/bucket/key`) and may use plain `http://`; on AWS they use
/// virtual-hosted style (`https://bucket.s3.region.amazonaws.com/key`) over HTTPS, with the
/// certificate verified, always.
///
/// `print(configuration)` never shows the secret or the session token.
public struct S3Configuration: Sendable, Hashable, CustomStringConvertible {
    /// The region requests are signed for, e.g. `us-east-1`.
    public var region: String
    /// An explicit endpoint (`scheme://host[:port]`), or nil for AWS's own endpoint of the region.
    public var endpoint: URL?
    /// Whether requests put the bucket in the path (`/bucket/key`) instead of the host name;
    /// true for an explicit endpoint.
    public var usesPathStyle: Bool
    /// The credentials requests are signed with.
    public var credentials: S3Credentials
    /// The client's tunables.
    public var options: S3Options

    /// Creates a configuration; throws `.configuration` for an endpoint that is not an
    /// `http(s)://host[:port]` URL or a region that is not a region name.
    public init(region: String, endpoint: URL? = nil, usesPathStyle: Bool? = nil, credentials: S3Credentials, options: S3Options = S3Options()) throws {
        guard !region.isEmpty, region.utf8.count <= 64,
              region.unicodeScalars.allSatisfy({ ("a" ... "z").contains($0) || ("0" ... "9").contains($0) || $0 == "-" })
        else {
            throw S3Error(.configuration, operation: "Configure", message: "the region \(S3Address.quoted(region)) is not a region name such as us-east-1")
        }
        if let endpoint {
            guard let scheme = endpoint.scheme?.lowercased(), scheme == "https" || scheme == "http",
                  let host = endpoint.host, !host.isEmpty, endpoint.user == nil, endpoint.password == nil,
                  endpoint.query == nil, endpoint.fragment == nil
            else {
                throw S3Error(.configuration, operation: "Configure", message: "the endpoint \(S3Address.quoted(endpoint.absoluteString)) is not an http(s)://host[:port] URL")
            }
        }
        self.region = region
        self.endpoint = endpoint
        self.usesPathStyle = usesPathStyle ?? (endpoint != nil)
        self.credentials = credentials
        self.options = options
    }

    /// Reads the configuration from `environment` and the shared files, as the AWS CLI and
    /// SDKs do (see the table above); throws `.credentials` when no credentials are found and
    /// `.configuration` when `AWS_PROFILE` names a profile that no file has, or an endpoint is
    /// not a URL.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment,
        homeDirectory: String? = nil
    ) throws -> S3Configuration {
        func value(_ name: String) -> String? {
            guard let value = environment[name]?.trimmingSpaces, !value.isEmpty else { return nil }
            return String(value)
        }
        let home = homeDirectory ?? value("HOME") ?? NSHomeDirectory()
        func expand(_ path: String) -> String { path.hasPrefix("~/") ? home + path.dropFirst(1) : path }
        let credentialsPath = expand(value("AWS_SHARED_CREDENTIALS_FILE") ?? "~/.aws/credentials")
        let configPath = expand(value("AWS_CONFIG_FILE") ?? "~/.aws/config")
        let credentialsFile = try readFile(credentialsPath)
        let configFile = try readFile(configPath)
        let explicitProfile = value("AWS_PROFILE")
        let profile = explicitProfile ?? "default"
        let fromCredentials = credentialsFile?.section(profile)
        let fromConfig = configFile?.section(profile == "default" ? "default" : "profile \(profile)")
        if let explicitProfile, fromCredentials == nil, fromConfig == nil {
            throw S3Error(.configuration, operation: "Configure", message: "AWS_PROFILE names the profile \(S3Address.quoted(explicitProfile)), which neither \(credentialsPath) nor \(configPath) has")
        }

        let credentials: S3Credentials
        if let id = value("AWS_ACCESS_KEY_ID"), let secret = value("AWS_SECRET_ACCESS_KEY") {
            credentials = S3Credentials(accessKeyID: id, secretAccessKey: secret, sessionToken: value("AWS_SESSION_TOKEN"), source: "environment")
        } else if let found = profileCredentials(fromCredentials, source: "profile \(profile) in \(credentialsPath)")
            ?? profileCredentials(fromConfig, source: "profile \(profile) in \(configPath)") {
            credentials = found
        } else {
            throw S3Error(.credentials, operation: "Configure", message: "no credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set, and the profile \(S3Address.quoted(profile)) has no aws_access_key_id and aws_secret_access_key in \(credentialsPath) or \(configPath)")
        }

        let region = value("AWS_REGION") ?? value("AWS_DEFAULT_REGION") ?? fromConfig?["region"] ?? "us-east-1"
        var endpoint: URL?
        if let text = value("AWS_ENDPOINT_URL_S3") ?? value("AWS_ENDPOINT_URL") ?? fromConfig?["endpoint_url"] {
            guard let url = URL(string: text) else {
                throw S3Error(.configuration, operation: "Configure", message: "the endpoint \(S3Address.quoted(text)) is not a URL")
            }
            endpoint = url
        }
        return try S3Configuration(region: region, endpoint: endpoint, credentials: credentials)
    }

    private static func profileCredentials(_ section: [String: String]?, source: String) -> S3Credentials? {
        guard let section, let id = section["aws_access_key_id"], !id.isEmpty,
              let secret = section["aws_secret_access_key"], !secret.isEmpty else { return nil }
        let token = section["aws_session_token"].flatMap { $0.isEmpty ? nil : $0 }
        return S3Credentials(accessKeyID: id, secretAccessKey: secret, sessionToken: token, source: source)
    }

    private static func readFile(_ path: String) throws -> SharedConfigFile? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path), data.count <= 1 << 20 else {
            throw S3Error(.configuration, operation: "Configure", message: "cannot read \(path) (or it is larger than 1 MiB)")
        }
        return SharedConfigFile(text: String(decoding: data, as: UTF8.self))
    }

    /// The scheme, host and port requests go to, and the path prefix before the key.
    func location(bucket: String) -> (base: String, host: String, pathPrefix: String) {
        if let endpoint {
            let scheme = endpoint.scheme?.lowercased() ?? "https"
            var host = endpoint.host ?? ""
            if host.contains(":") { host = "[\(host)]" }   // IPv6 literal
            if let port = endpoint.port, !(scheme == "https" && port == 443), !(scheme == "http" && port == 80) { host += ":\(port)" }
            var path = endpoint.path
            while path.hasSuffix("/") { path.removeLast() }
            if usesPathStyle { return ("\(scheme)://\(host)", host, path + "/" + bucket) }
            return ("\(scheme)://\(bucket).\(host)", "\(bucket).\(host)", path)
        }
        let service = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        let host = "s3.\(region).\(service)"
        // Dotted bucket names do not match the wildcard certificate of virtual-hosted style.
        if usesPathStyle || bucket.contains(".") { return ("https://\(host)", host, "/" + bucket) }
        return ("https://\(bucket).\(host)", "\(bucket).\(host)", "")
    }

    /// Region, endpoint, addressing style and the credentials' description (without secrets).
    public var description: String {
        "S3Configuration(region: \(region), endpoint: \(endpoint?.absoluteString ?? "AWS"), pathStyle: \(usesPathStyle), credentials: \(credentials))"
    }
}

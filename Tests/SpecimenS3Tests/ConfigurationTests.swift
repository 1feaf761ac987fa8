import Foundation
import InteropSupport
import SpecimenS3
import Testing

/// Configuration as the AWS tools find it, addresses, and secrets kept out of every text.
@Suite struct ConfigurationTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let token = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN"

    @Test func environmentVariablesWin() throws {
        let folder = try TemporaryFolder()
        let configuration = try S3Configuration.fromEnvironment([
            "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": Self.secret, "AWS_SESSION_TOKEN": Self.token,
            "AWS_REGION": "eu-west-3", "AWS_DEFAULT_REGION": "us-west-2",
        ], homeDirectory: folder.path)
        #expect(configuration.credentials.accessKeyID == "AKIDENV")
        #expect(configuration.credentials.sessionToken == Self.token)
        #expect(configuration.region == "eu-west-3")
        #expect(configuration.endpoint == nil)
        #expect(configuration.usesPathStyle == false)
    }

    @Test func defaultRegionAndEndpointVariables() throws {
        let folder = try TemporaryFolder()
        let base = ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": Self.secret]
        var configuration = try S3Configuration.fromEnvironment(base.merging(["AWS_DEFAULT_REGION": "us-west-2", "AWS_ENDPOINT_URL": "http://127.0.0.1:9000"]) { $1 }, homeDirectory: folder.path)
        #expect(configuration.region == "us-west-2")
        #expect(configuration.endpoint?.absoluteString == "http://127.0.0.1:9000")
        #expect(configuration.usesPathStyle)
        configuration = try S3Configuration.fromEnvironment(base.merging(["AWS_ENDPOINT_URL": "http://a:1", "AWS_ENDPOINT_URL_S3": "https://minio.example:9000"]) { $1 }, homeDirectory: folder.path)
        #expect(configuration.endpoint?.absoluteString == "https://minio.example:9000")
        configuration = try S3Configuration.fromEnvironment(base, homeDirectory: folder.path)
        #expect(configuration.region == "us-east-1")
        #expect(throws: S3Error.self) {
            try S3Configuration.fromEnvironment(base.merging(["AWS_ENDPOINT_URL_S3": "ftp://host"]) { $1 }, homeDirectory: folder.path)
        }
    }

    @Test func profilesFromTheSharedFiles() throws {
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.file(".aws"), withIntermediateDirectories: true)
        try """
        # comment
        [default]
        aws_access_key_id = AKIDDEFAULT
        aws_secret_access_key = \(Self.secret)

        [dev]
        aws_access_key_id=AKIDDEV
        aws_secret_access_key=\(Self.secret)
        aws_session_token = \(Self.token)
        """.write(toFile: folder.file(".aws/credentials"), atomically: true, encoding: .utf8)
        try """
        [default]
        region = ap-south-1
        [profile dev]
        region = eu-central-1
        endpoint_url = http://localhost:4566
        s3 =
          addressing_style = path
        [profile only-config]
        aws_access_key_id = AKIDCONFIG
        aws_secret_access_key = \(Self.secret)
        """.write(toFile: folder.file(".aws/config"), atomically: true, encoding: .utf8)

        let plain = try S3Configuration.fromEnvironment([:], homeDirectory: folder.path)
        #expect(plain.credentials.accessKeyID == "AKIDDEFAULT")
        #expect(plain.region == "ap-south-1")
        let dev = try S3Configuration.fromEnvironment(["AWS_PROFILE": "dev"], homeDirectory: folder.path)
        #expect(dev.credentials.accessKeyID == "AKIDDEV")
        #expect(dev.credentials.sessionToken == Self.token)
        #expect(dev.region == "eu-central-1")
        #expect(dev.endpoint?.absoluteString == "http://localhost:4566")
        let configOnly = try S3Configuration.fromEnvironment(["AWS_PROFILE": "only-config"], homeDirectory: folder.path)
        #expect(configOnly.credentials.accessKeyID == "AKIDCONFIG")
        let error = #expect(throws: S3Error.self) { try S3Configuration.fromEnvironment(["AWS_PROFILE": "missing"], homeDirectory: folder.path) }
        #expect(error?.code == .configuration)
        #expect(error?.description.contains("missing") == true)
    }

    @Test func fileLocationOverrides() throws {
        let folder = try TemporaryFolder()
        try "[default]\naws_access_key_id = AKIDELSEWHERE\naws_secret_access_key = \(Self.secret)\n".write(toFile: folder.file("creds"), atomically: true, encoding: .utf8)
        try "[default]\nregion = sa-east-1\n".write(toFile: folder.file("conf"), atomically: true, encoding: .utf8)
        let configuration = try S3Configuration.fromEnvironment(["AWS_SHARED_CREDENTIALS_FILE": folder.file("creds"), "AWS_CONFIG_FILE": folder.file("conf")], homeDirectory: folder.path)
        #expect(configuration.credentials.accessKeyID == "AKIDELSEWHERE")
        #expect(configuration.region == "sa-east-1")
    }

    @Test func windowsLineEndingsAndSpacing() throws {
        let folder = try TemporaryFolder()
        try "[default]\r\naws_access_key_id\t=\tAKIDCRLF \r\n  nested = ignored\r\nAWS_Secret_Access_Key = a#b;c\r\n".write(toFile: folder.file("creds"), atomically: true, encoding: .utf8)
        let configuration = try S3Configuration.fromEnvironment(["AWS_SHARED_CREDENTIALS_FILE": folder.file("creds")], homeDirectory: folder.path)
        #expect(configuration.credentials.accessKeyID == "AKIDCRLF")
        #expect(configuration.credentials.secretAccessKey == "a#b;c")
    }

    @Test func noCredentialsIsAnErrorThatSaysWhatToSet() throws {
        let folder = try TemporaryFolder()
        let error = #expect(throws: S3Error.self) { try S3Configuration.fromEnvironment([:], homeDirectory: folder.path) }
        #expect(error?.code == .credentials)
        #expect(error?.description.contains("AWS_ACCESS_KEY_ID") == true)
    }

    @Test func malformedSharedFilesAreReadWithoutTrapping() throws {
        let folder = try TemporaryFolder()
        try "[default\n=\n[]\naws_access_key_id\n\u{0}\u{1}[x]y=z\n[default]\naws_access_key_id = A\naws_secret_access_key = B\n".write(toFile: folder.file("creds"), atomically: true, encoding: .utf8)
        let configuration = try S3Configuration.fromEnvironment(["AWS_SHARED_CREDENTIALS_FILE": folder.file("creds")], homeDirectory: folder.path)
        #expect(configuration.credentials.accessKeyID == "A")
    }

    @Test func secretsNeverAppearInText() throws {
        let credentials = S3Credentials(accessKeyID: "AKIDSHOWN", secretAccessKey: Self.secret, sessionToken: Self.token)
        let configuration = try S3Configuration(region: "us-east-1", credentials: credentials)
        let client = try S3Client(bucket: "some-bucket", configuration: configuration)
        var dumped = ""
        dump(credentials, to: &dumped)
        dump(configuration, to: &dumped)
        let texts = [
            String(describing: credentials), String(reflecting: credentials), "\(credentials)",
            String(describing: configuration), String(reflecting: configuration), dumped,
            String(describing: client.configuration), String(describing: SigV4Signer(credentials: credentials, region: "us-east-1")),
        ]
        for text in texts {
            #expect(!text.contains(Self.secret), "\(text)")
            #expect(!text.contains(Self.token), "\(text)")
        }
        #expect(String(describing: credentials).contains("AKIDSHOWN"))
    }

    @Test func virtualHostedOnAWSPathStyleOnAnEndpoint() throws {
        let credentials = S3Credentials(accessKeyID: "A", secretAccessKey: "B")
        #expect(throws: S3Error.self) { try S3Configuration(region: "us east", credentials: credentials) }
        #expect(throws: S3Error.self) { try S3Configuration(region: "us-east-1", endpoint: URL(string: "http://user:pw@host:9000"), credentials: credentials) }
        #expect(throws: S3Error.self) {
            try S3Client(bucket: "b-1", configuration: try S3Configuration(region: "us-east-1", endpoint: URL(string: "http://s3.us-east-1.amazonaws.com"), credentials: credentials))
        }
    }

    @Test func objectURLs() throws {
        let credentials = S3Credentials(accessKeyID: "A", secretAccessKey: "B")
        let aws = try S3Configuration(region: "eu-west-1", credentials: credentials)
        #expect(try S3Client(bucket: "my-bucket", configuration: aws).url(for: "a b/ü").absoluteString == "https://my-bucket.s3.eu-west-1.amazonaws.com/a%20b/%C3%BC")
        #expect(try S3Client(bucket: "my.bucket", configuration: aws).url(for: "k").absoluteString == "https://s3.eu-west-1.amazonaws.com/my.bucket/k")
        let china = try S3Configuration(region: "cn-north-1", credentials: credentials)
        #expect(try S3Client(bucket: "my-bucket", configuration: china).url(for: "k").absoluteString == "https://my-bucket.s3.cn-north-1.amazonaws.com.cn/k")
        let minio = try S3Configuration(region: "us-east-1", endpoint: URL(string: "http://127.0.0.1:9000/"), credentials: credentials)
        #expect(try S3Client(bucket: "my-bucket", configuration: minio).url(for: "k/l").absoluteString == "http://127.0.0.1:9000/my-bucket/k/l")
        let gateway = try S3Configuration(region: "us-east-1", endpoint: URL(string: "https://gw.example/s3"), credentials: credentials)
        #expect(try S3Client(bucket: "my-bucket", configuration: gateway).url(for: "k").absoluteString == "https://gw.example/s3/my-bucket/k")
    }

    // MARK: Addresses

    @Test func parsesAddresses() throws {
        let root = try S3Address(parsing: "s3://my-bucket/experiments/specimens/")
        #expect(root.bucket == "my-bucket")
        #expect(root.prefix == "experiments/specimens")
        #expect(try root.key("mnist/runs/20250101_120000/manifest.msgpack") == "experiments/specimens/mnist/runs/20250101_120000/manifest.msgpack")
        #expect(root.description == "s3://my-bucket/experiments/specimens")
        let bare = try S3Address(parsing: "s3://my.bucket.2")
        #expect(bare.prefix == "")
        #expect(try bare.key("a") == "a")
        #expect(S3Address.isS3("s3://x") && !S3Address.isS3("/tmp/s3://x"))
    }

    @Test(arguments: [
        "s3://", "s3://ab", "s3://Bucket", "s3://bucket_name", "s3://-bucket", "s3://bucket-", "s3://a..b",
        "s3://192.168.1.1", "s3://xn--bucket", "s3://bucket-s3alias", "s3://user:pw@bucket/x", "http://bucket/x",
        "s3://\(String(repeating: "a", count: 64))", "s3://bucket/a?b", "s3://bucket/a#b",
    ])
    func rejectsBadAddresses(_ text: String) {
        let error = #expect(throws: S3Error.self) { try S3Address(parsing: text) }
        #expect(error?.code == .invalidAddress || error?.code == .invalidKey)
    }

    @Test(arguments: ["", "a//b", "../etc/passwd", "a/../../b", "a/./b", "a\u{0}b", "a\nb", "a\u{7F}", String(repeating: "k", count: 1025)])
    func rejectsHostileKeys(_ key: String) {
        let error = #expect(throws: S3Error.self) { try S3Address.validateKey(key) }
        #expect(error?.code == .invalidKey)
        if let error { #expect(!error.description.contains("\n")) }
    }

    @Test(arguments: ["a", "runs/20250101_120000/metrics.parquet", "name with spaces/ünïcødé/🐢", "a+b=c&d?e#f%g", ".hidden/..x/x..", String(repeating: "k", count: 1024)])
    func acceptsOrdinaryKeys(_ key: String) throws {
        try S3Address.validateKey(key)
    }
}

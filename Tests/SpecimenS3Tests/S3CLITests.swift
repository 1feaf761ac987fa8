import Foundation
import InteropSupport
import SpecimenS3
import Specimens
import Testing

/// The `specimen` command on S3 specimens: `--root s3://…`, `SPECIMEN_ROOT`, and specimen
/// arguments given as `s3://` addresses, against moto with credentials from the environment.
@Suite struct S3CLITests {
    let harness: S3Harness

    init() throws { harness = try S3Harness.get() }

    /// The `specimen` executable of this build, beside the test bundle.
    static let binary: String = {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0 ..< 4 {
            let candidate = folder.appendingPathComponent("specimen").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return Python.repositoryRoot.appendingPathComponent(".build/debug/specimen").path
    }()

    /// Runs `specimen arguments…` with the harness's credentials and endpoint, and no AWS files.
    func specimen(_ arguments: [String], home: String, root: String? = nil) throws -> ProcessResult {
        var environment = ProcessInfo.processInfo.environment
        for name in environment.keys where name.hasPrefix("AWS_") || name == "SPECIMEN_ROOT" { environment[name] = nil }
        environment["HOME"] = home
        environment["NO_COLOR"] = "1"
        environment["AWS_ACCESS_KEY_ID"] = harness.accessKeyID
        environment["AWS_SECRET_ACCESS_KEY"] = harness.secretAccessKey
        environment["AWS_REGION"] = "us-east-1"
        environment["AWS_ENDPOINT_URL"] = harness.endpoint.absoluteString
        if let root { environment["SPECIMEN_ROOT"] = root }
        return try ProcessResult.run(Self.binary, arguments, environment: environment, currentDirectory: home)
    }

    @Test func viewRunsCompareExportAndVerifyAnS3Specimen() throws {
        let bucket = try harness.makeBucket("cli")
        let client = try harness.client(bucket)
        let local = try S3Upload.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: local) }
        try S3SpecimenReadTests.writeRuns(local + "/specimens/demo")
        try S3Upload.folder(local + "/specimens", to: "lab", client: client)
        let ids = try Specimen(at: local + "/specimens/demo").listRuns().map(\.rawValue)
        let root = "s3://\(bucket)/lab"

        let runs = try specimen(["runs", "demo", "--root", root, "--json"], home: local)
        #expect(runs.status == 0, "\(runs.stderrText)")
        for id in ids { #expect(runs.stdoutText.contains(id)) }

        let view = try specimen(["view", "demo"], home: local, root: root)   // SPECIMEN_ROOT
        #expect(view.status == 0, "\(view.stderrText)")
        #expect(view.stdoutText.contains(ids.last ?? "?"))
        let all = try specimen(["view"], home: local, root: root)
        #expect(all.status == 0 && all.stdoutText.contains("demo"), "\(all.stderrText)")

        let compare = try specimen(["compare", root + "/demo"], home: local)
        #expect(compare.status == 0, "\(compare.stderrText)")

        let export = try specimen(["export", "demo", "--root", root, "--all-runs", "--format", "csv"], home: local)
        #expect(export.status == 0, "\(export.stderrText)")
        #expect(export.stdoutText.split(separator: "\n").count == 1 + 150 + 50)   // header, 3 × 50 rows, the third run's extra rows

        let verify = try specimen(["verify", root + "/demo"], home: local)
        #expect(verify.status == 0, "\(verify.stdoutText) \(verify.stderrText)")
        let verifyRun = try specimen(["verify", root + "/demo/runs/" + (ids.first ?? "?")], home: local)
        #expect(verifyRun.status == 0, "\(verifyRun.stderrText)")

        let missing = try specimen(["runs", "nothing", "--root", root], home: local)
        #expect(missing.status != 0)
        #expect(!missing.stderrText.contains(harness.secretAccessKey))
    }
}

/// `specimen` links no networking and hands `s3://` commands to `specimen-s3` beside it.
@Suite struct S3HandoffTests {
    /// The shared libraries `binary` loads, from `ldd`.
    static func sharedLibraries(_ binary: String) throws -> String {
        let result = try ProcessResult.run("/usr/bin/ldd", [binary], environment: ProcessInfo.processInfo.environment, currentDirectory: "/")
        #expect(result.status == 0, "\(result.stderrText)")
        return result.stdoutText
    }

    @Test func specimenLoadsNoNetworkingLibrariesAndSpecimenS3Does() throws {
        let specimen = S3CLITests.binary
        let s3 = URL(fileURLWithPath: specimen).deletingLastPathComponent().appendingPathComponent("specimen-s3").path
        #expect(FileManager.default.isExecutableFile(atPath: s3), "\(s3) is missing; build it with `swift build --product specimen-s3`")
        let plain = try Self.sharedLibraries(specimen)
        #expect(!plain.contains("FoundationNetworking") && !plain.contains("libcurl") && !plain.contains("FoundationXML"), "\(plain)")
        let networked = try Self.sharedLibraries(s3)
        #expect(networked.contains("FoundationNetworking"), "\(networked)")
    }

    @Test func withoutSpecimenS3BesideItSpecimenSaysWhatToInstall() throws {
        let folder = try S3Upload.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let lonely = folder + "/specimen"
        try FileManager.default.copyItem(atPath: S3CLITests.binary, toPath: lonely)
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = "/usr/bin:/bin"   // no specimen-s3 on PATH either
        environment["SPECIMEN_ROOT"] = nil
        let named = try ProcessResult.run(lonely, ["view", "s3://bucket/lab/demo"], environment: environment, currentDirectory: folder)
        #expect(named.status == 1)
        #expect(named.stderrText.contains("specimen-s3") && named.stderrText.contains("Install"), "\(named.stderrText)")
        environment["SPECIMEN_ROOT"] = "s3://bucket/lab"
        let rooted = try ProcessResult.run(lonely, ["view"], environment: environment, currentDirectory: folder)
        #expect(rooted.status == 1 && rooted.stderrText.contains("specimen-s3"), "\(rooted.stderrText)")
        environment["SPECIMEN_ROOT"] = nil
        let local = try ProcessResult.run(lonely, ["--version"], environment: environment, currentDirectory: folder)
        #expect(local.status == 0 && !local.stdoutText.isEmpty, "\(local.stderrText)")
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SpecimenS3
import Specimens

// specimen-testbed: child processes for the store's tests (many writers at once, SIGKILL at
// random moments, joining a run, signals, exit without finish). Not a user tool. `create` and
// `log-forever` also take an s3:// specimen (S3 configured from the AWS environment).
//
//   create <specimen> <rows> [start-at-µs]        one run: log rows, finish; prints the run ID
//   log-forever <specimen> <progress-file> <flush-s> [retained-values]
//                                                  log until killed; after each row appends
//                                                  "<rows logged> <µs since 1970>\n" to the file
//                                                  (retained-values: rows leave memory past it)
//   join <specimen> <rows>                         log into $SPECIMEN_RUN_DIR's run, finish
//   wait-for-signal <specimen> <rows>              install signal handlers, log, print "ready", sleep
//   exit-without-finish <specimen> <rows>          log rows and return from main
//   select <specimen> <expression>                 Specimen.select (reads and extends the
//                                                  catalog); prints the selected IDs, one a line

func microseconds() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1000
}

/// Writes a line to standard output unbuffered (the parent waits for it).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("specimen-testbed: \(message)\n".utf8))
    exit(2)
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 2 else { fail("usage: specimen-testbed <command> <specimen> …") }
let command = arguments[0], specimenPath = arguments[1]
/// The specimen's storage: the local disk, or S3 for an s3:// address.
func backend() throws -> any StorageBackend { try SpecimenLocation.storage(for: specimenPath) }

do {
    switch command {
    case "create":
        let rows = arguments.count > 2 ? Int(arguments[2]) ?? 3 : 3
        if arguments.count > 3, let start = Int64(arguments[3]) {
            let wait = start - microseconds()
            if wait > 0 { usleep(UInt32(min(wait, 5_000_000))) }
        }
        let storage = try SpecimenStorage(at: specimenPath, storage: backend(), params: ["pid": Int(getpid())])
        for i in 0 ..< rows { try storage.log(["i": .int(Int64(i)), "x": .double(Double(i) / 2)]) }
        try storage.finish()
        print(storage.runID)
    case "log-forever":
        guard arguments.count >= 4, let interval = Double(arguments[3]) else { fail("log-forever <specimen> <progress> <flush-s>") }
        var options = SpecimenStorage.Options()
        options.flushInterval = interval
        options.recordGit = false
        if arguments.count > 4, let retained = Int(arguments[4]) { options.retainedValues = retained }
        let storage = try SpecimenStorage(at: specimenPath, storage: backend(), params: ["mode": "log-forever"], options: options)
        let progress = open(arguments[2], O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0o644)
        guard progress >= 0 else { fail("cannot open \(arguments[2])") }
        say("\(storage.runID)")
        var n: Int64 = 0
        while true {
            try storage.log(["i": .int(n), "x": .double(Double(n) * 0.5), "even": .bool(n % 2 == 0)])
            n += 1
            let line = "\(n) \(microseconds())\n"
            _ = line.withCString { write(progress, $0, strlen($0)) }
            usleep(200)
        }
    case "join":
        let rows = arguments.count > 2 ? Int(arguments[2]) ?? 3 : 3
        let storage = try SpecimenStorage(at: specimenPath, params: ["child": "swift"])
        guard storage.isJoined else { fail("did not join SPECIMEN_RUN_DIR") }
        for i in 0 ..< rows { try storage.log(["child_i": .int(Int64(i))]) }
        try storage.finish()
        print(storage.runID)
    case "wait-for-signal":
        SpecimenStorage.installSignalHandlers()
        let rows = arguments.count > 2 ? Int(arguments[2]) ?? 3 : 3
        let storage = try SpecimenStorage(at: specimenPath)
        for i in 0 ..< rows { try storage.log(["i": .int(Int64(i))]) }
        say("ready \(storage.runID)")
        while true { sleep(1) }
    case "exit-without-finish":
        let rows = arguments.count > 2 ? Int(arguments[2]) ?? 3 : 3
        let storage = try SpecimenStorage(at: specimenPath)
        for i in 0 ..< rows { try storage.log(["i": .int(Int64(i))]) }
        print(storage.runID)
        exit(0)
    case "select":
        let selection = try Specimen(at: specimenPath).select(try RunQuery(where: arguments.count > 2 ? arguments[2] : nil))
        for note in selection.notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
        print(selection.runs.map(\.id.rawValue).joined(separator: "\n"))
    default:
        fail("unknown command \(command)")
    }
} catch {
    fail("\(error)")
}

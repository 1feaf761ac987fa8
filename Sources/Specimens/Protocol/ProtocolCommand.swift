import MessagePack

/// The command that runs a specimen's protocol, and the protocol file it runs.
///
/// ```swift
/// let command = try ProtocolCommand.discover(in: Specimen(at: "specimens/rosenbrock"))
/// command.arguments      // ["python3", "protocol.py"]
/// command.protocolFile   // "protocol.py"
/// ```
public struct ProtocolCommand: Sendable, Equatable {
    /// The argv, run in the specimen's folder.
    public var arguments: [String]
    /// The protocol file it runs, relative to the specimen folder (nil for a manifest command
    /// or a command given by hand).
    public var protocolFile: String?

    /// A command given by hand (`specimen run <specimen> -- <command>`).
    public init(arguments: [String], protocolFile: String? = nil) {
        self.arguments = arguments
        self.protocolFile = protocolFile
    }

    /// The specimen's protocol, found as `specimen run` finds it: `protocol.py` (python3),
    /// `protocol.sh` (bash), an executable `protocol`, else the `command` of the specimen's
    /// manifest (a string for `/bin/sh -c`, or an argv). Throws `.notFound` when there is none.
    public static func discover(in specimen: Specimen) throws -> ProtocolCommand {
        let directory = ProtocolEnvironment.absolute(specimen.path)
        if isRegularFile(directory + "/protocol.py") { return ProtocolCommand(arguments: ["python3", "protocol.py"], protocolFile: "protocol.py") }
        if isRegularFile(directory + "/protocol.sh") { return ProtocolCommand(arguments: ["bash", "protocol.sh"], protocolFile: "protocol.sh") }
        if access(directory + "/protocol", X_OK) == 0, !LocalStorage.shared.isFolder(directory + "/protocol") {
            return ProtocolCommand(arguments: [directory + "/protocol"], protocolFile: "protocol")
        }
        switch specimen.manifest?["command"] {
        case .string(let text)?: return ProtocolCommand(arguments: ["/bin/sh", "-c", text])
        case .array(let parts)?:
            let strings = parts.compactMap(\.stringValue)
            if !strings.isEmpty, strings.count == parts.count { return ProtocolCommand(arguments: strings) }
        default: break
        }
        throw SpecimenError(.notFound, "\(specimen.path) has no protocol", path: specimen.path,
                            recovery: "Add protocol.py, protocol.sh or an executable `protocol` there, set `command` in its manifest, or give a command to run")
    }

    /// Whether something (a file, or a link to one) exists at `path` and is not a folder, as
    /// `FileManager.fileExists` saw it before discovery moved into the library.
    private static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFDIR
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

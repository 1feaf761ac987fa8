import ArgumentParser
import Foundation

/// Runs a subcommand's work and turns any error into one line on stderr and exit status 1,
/// so messages read `specimen: <what happened, where, what to do next>`.
func reportingFailures(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ExitCode {
        throw error
    } catch let error as ValidationError {
        throw error
    } catch {
        Standard.error("specimen: \(error)")
        throw ExitCode.failure
    }
}

/// Writing to the standard streams without Foundation's buffering surprises.
enum Standard {
    /// Writes `text` and a newline to standard error.
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A shared library opened at run time with `dlopen`, for the codecs whose libraries ship
/// without headers or development symlinks (libzstd, liblz4, libbrotli).
///
/// The handle is never closed, on purpose: function pointers taken from it are stored in
/// `static let`s and must stay valid for the life of the process.
///
/// ```swift
/// switch DynamicLibrary.open(DynamicLibrary.candidates("zstd", version: 1)) {
/// case .success(let library): let f = library.symbol("ZSTD_versionNumber", as: Version.self)
/// case .failure(let failure): print(failure)  // names the files it tried
/// }
/// ```
struct DynamicLibrary {
    /// The file name that loaded, e.g. `libzstd.so.1`.
    let name: String
    private let handle: UnsafeMutableRawPointer

    /// Why a library (or one of its functions) could not be loaded.
    struct LoadFailure: Error, Sendable, CustomStringConvertible {
        /// The file names tried, in order.
        var tried: [String]
        /// The dynamic loader's last message, or the missing symbol.
        var reason: String

        /// "could not load libzstd.so.1 or libzstd.so (…)".
        var description: String {
            "could not load " + tried.joined(separator: " or ") + (reason.isEmpty ? "" : " (\(reason))")
        }
    }

    /// The file names to try for library `stem` (e.g. `zstd`) with ABI major `version`,
    /// most specific first, for the current platform.
    static func candidates(_ stem: String, version: Int) -> [String] {
        #if canImport(Darwin)
        let file = "lib\(stem).\(version).dylib"
        return [file, "lib\(stem).dylib", "/opt/homebrew/lib/" + file, "/usr/local/lib/" + file]
        #else
        return ["lib\(stem).so.\(version)", "lib\(stem).so"]
        #endif
    }

    /// Opens the first of `names` that loads (`RTLD_NOW | RTLD_LOCAL`).
    static func open(_ names: [String]) -> Result<DynamicLibrary, LoadFailure> {
        var reason = ""
        for name in names {
            if let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) {
                return .success(DynamicLibrary(name: name, handle: handle))
            }
            if let message = dlerror() { reason = String(cString: message) }
        }
        return .failure(LoadFailure(tried: names, reason: reason))
    }

    /// The function `symbol`, cast to the `@convention(c)` function type `type`; nil when the
    /// library does not export it. `type` must match the C prototype exactly.
    func symbol<T>(_ symbol: String, as type: T.Type) -> T? {
        guard let address = dlsym(handle, symbol) else { return nil }
        return unsafeBitCast(address, to: T.self)
    }

    /// Like `symbol(_:as:)`, but a missing function is a `LoadFailure` naming it.
    func require<T>(_ symbol: String, as type: T.Type) throws(LoadFailure) -> T {
        guard let function = self.symbol(symbol, as: type) else {
            throw LoadFailure(tried: [name], reason: "it has no function \(symbol)")
        }
        return function
    }
}

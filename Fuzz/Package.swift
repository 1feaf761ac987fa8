// swift-tools-version: 6.0
import Foundation
import PackageDescription

/// The root package's identity: SwiftPM names a path dependency after its folder, so this works
/// whatever the checkout is called.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent.lowercased()

/// libFuzzer targets for the two binary decoders of the root package. Build and run them with
/// `scripts/fuzz msgpack|parquet [SECONDS]` from the repository root; see README.md, "Fuzzing".
///
/// The sanitizer flags come from the command line (`-Xswiftc -sanitize=fuzzer,address`), so they
/// apply to every Swift target of the build, including the root package's `MessagePack` and
/// `Parquet`: libFuzzer's coverage feedback covers the library code, not only these harnesses.
let package = Package(
    name: "SpecimenFuzz",
    dependencies: [
        .package(path: ".."),
    ],
    targets: [
        // libFuzzer's driver, which both targets hand control to.
        .target(name: "FuzzDriver"),
        .executableTarget(
            name: "fuzz-msgpack",
            dependencies: ["FuzzDriver", .product(name: "MessagePack", package: root)]
        ),
        .executableTarget(
            name: "fuzz-parquet",
            dependencies: ["FuzzDriver", .product(name: "Parquet", package: root)]
        ),
        // Writes the seeds that come from our own ParquetWriter (Fuzz/make_seeds.py runs it,
        // in a plain build without sanitizers).
        .executableTarget(
            name: "write-seeds",
            dependencies: [.product(name: "Parquet", package: root)]
        ),
    ]
)

// swift-tools-version: 6.1
import PackageDescription

/// Upcoming language features every target builds with.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// Specimen: every run of an experiment kept, as Parquet and MessagePack.
///
/// Modules depend one way, downwards:
/// `MessagePack`, `Parallel` ← `Parquet` (standard library, zlib) ← `Specimens` ← `SpecimenReport`
/// ← `SpecimenCommandLine` ← `specimen`; `SpecimenCommandLine` + `SpecimenS3` ← `specimen-s3`.
/// `SpecimenS3` (an S3 client: SigV4, conditional writes, multipart, retries; and `S3Storage`, the
/// store's storage backend on it) builds on `Specimens`, swift-crypto and FoundationNetworking;
/// nothing in the core library depends on it, so the core library builds without networking:
/// `Specimens` ← `SpecimenS3`. The `specimen` executable does not link it either (loading
/// FoundationNetworking's libraries costs every process about 7 ms); it hands commands that name
/// an `s3://` address to `specimen-s3`, the same command line with S3 registered.
let package = Package(
    name: "Specimen",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "MessagePack", targets: ["MessagePack"]),
        .library(name: "Parquet", targets: ["Parquet"]),
        .library(name: "Specimens", targets: ["Specimens"]),
        .library(name: "SpecimenReport", targets: ["SpecimenReport"]),
        .library(name: "SpecimenS3", targets: ["SpecimenS3"]),
        .executable(name: "specimen", targets: ["specimen"]),
        .executable(name: "specimen-s3", targets: ["specimen-s3"]),
        .executable(name: "specimen-bench", targets: ["specimen-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
    ],
    targets: [
        .target(name: "MessagePack", swiftSettings: swiftSettings),
        .target(name: "Parallel", swiftSettings: swiftSettings),  // the one parallel-for, lock and result slots of the package
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(name: "Parquet", dependencies: ["CZlib", "Parallel"], swiftSettings: swiftSettings),
        .target(
            name: "Specimens",
            dependencies: [
                "MessagePack", "Parquet", "CZlib", "Parallel",
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        , swiftSettings: swiftSettings),
        .target(
            name: "SpecimenReport",
            dependencies: [
                "Specimens", "MessagePack", "Parquet",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Ink", package: "Ink"),
            ]
        , swiftSettings: swiftSettings),
        .target(
            name: "SpecimenS3",
            dependencies: ["Specimens", "Parquet", "Parallel", .product(name: "Crypto", package: "swift-crypto")]
        , swiftSettings: swiftSettings),
        .target(
            name: "SpecimenCommandLine",  // every subcommand; the executables only start it
            dependencies: [
                "Specimens", "MessagePack", "Parquet", "Parallel", "SpecimenReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        , swiftSettings: swiftSettings),
        .executableTarget(name: "specimen", dependencies: ["SpecimenCommandLine", .product(name: "ArgumentParser", package: "swift-argument-parser")], swiftSettings: swiftSettings),
        .executableTarget(name: "specimen-s3", dependencies: ["SpecimenCommandLine", "SpecimenS3", .product(name: "ArgumentParser", package: "swift-argument-parser")], swiftSettings: swiftSettings),
        .executableTarget(
            name: "specimen-bench",
            dependencies: ["Specimens", "SpecimenS3", "MessagePack", "Parquet", .product(name: "Crypto", package: "swift-crypto")]
        , swiftSettings: swiftSettings),
        .executableTarget(name: "specimen-testbed", dependencies: ["Specimens", "SpecimenS3"], swiftSettings: swiftSettings),  // child processes for the store's tests
        .target(name: "InteropSupport", dependencies: ["MessagePack"], path: "Tests/InteropSupport", swiftSettings: swiftSettings),
        .testTarget(name: "MessagePackTests", dependencies: ["MessagePack", "InteropSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "ParquetTests", dependencies: ["Parquet", "InteropSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "SpecimensTests", dependencies: ["Specimens", "InteropSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "SpecimenReportTests", dependencies: ["SpecimenReport", "SpecimenCommandLine", "Specimens", "MessagePack", "Parquet", "InteropSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "SpecimenS3Tests", dependencies: ["SpecimenS3", "Specimens", "Parquet", "MessagePack", "InteropSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "SpecimenCLITests", dependencies: ["SpecimenCommandLine", "MessagePack", "Parquet", "InteropSupport"], swiftSettings: swiftSettings),
    ]
)

public import Foundation
public import Specimens

/// Where a specimen, or a root of specimens, is: a local path or an `s3://bucket/prefix/…`
/// address, and the storage to reach it through.
///
/// ```swift
/// let specimen = try SpecimenLocation.specimen("s3://lab/specimens/mnist")   // S3 from the environment
/// let local = try SpecimenLocation.specimen("specimens/mnist")               // the local disk
/// ```
public enum SpecimenLocation {
    /// The storage of `location`: the local disk for a path, an ``S3Storage`` rooted at the
    /// bucket (configured from `environment`) for an `s3://` address, keeping sealed runs'
    /// files in the environment's ``SealedFileCache`` unless `caching` is false.
    public static func storage(for location: String,
                               environment: [String: String] = ProcessInfo.processInfo.environment,
                               caching: Bool = true) throws -> any StorageBackend {
        guard S3Address.isS3(location) else { return LocalStorage.shared }
        let address = try S3Address(parsing: location)
        return try S3Storage.fromEnvironment("s3://" + address.bucket, environment: environment, caching: caching)
    }

    /// Opens the existing specimen at `location` (see ``storage(for:environment:)``).
    public static func specimen(_ location: String,
                                environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Specimen {
        try Specimen(at: location, storage: storage(for: location, environment: environment))
    }

    /// Opens the root of specimens at `location` (see ``storage(for:environment:)``).
    public static func root(_ location: String,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SpecimenRoot {
        try SpecimenRoot(at: location, storage: storage(for: location, environment: environment))
    }
}

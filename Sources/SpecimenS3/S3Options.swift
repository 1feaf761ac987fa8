public import Foundation

/// Tunables of an ``S3Client``, with documented defaults.
public struct S3Options: Sendable, Hashable {
    /// How many times a request is sent at most (the first try included); 5 by default.
    public var maximumAttempts: Int = 5
    /// The first retry's backoff ceiling; each retry doubles it (exponential backoff with full
    /// jitter: the wait is uniformly random between 0 and the ceiling); 0.1 s by default.
    public var baseRetryDelay: TimeInterval = 0.1
    /// The largest backoff ceiling; 5 s by default.
    public var maximumRetryDelay: TimeInterval = 5
    /// How long a request may wait for bytes before it times out (and is retried); 30 s by default.
    public var requestTimeout: TimeInterval = 30
    /// How long one request may take in all; 10 minutes by default.
    public var resourceTimeout: TimeInterval = 600
    /// Bodies of at least this many bytes are uploaded in parts (multipart upload); 64 MiB by default.
    public var multipartThreshold: Int = 64 << 20
    /// The size of each part of a multipart upload but the last; at least 5 MiB (S3's minimum),
    /// 16 MiB by default.
    public var partSize: Int = 16 << 20
    /// How many parts of one upload are sent at once; 4 by default.
    public var uploadParallelism: Int = 4
    /// How many GETs ``S3Client/getMany(_:limit:parallelism:)`` runs at once; 16 by default.
    public var readParallelism: Int = 16
    /// The largest response body read for anything but an object's bytes (error bodies,
    /// listings); 16 MiB by default.
    public var maximumResponseSize: Int = 16 << 20
    /// Whether the payload's SHA-256 is signed (`x-amz-content-sha256`); when false, requests
    /// carry `UNSIGNED-PAYLOAD` (HTTPS still protects the body); true by default.
    public var signsPayload: Bool = true

    /// The defaults.
    public init() {}

    /// S3's smallest part size (every part but the last): 5 MiB.
    public static let minimumPartSize = 5 << 20
    /// S3's largest number of parts in one upload: 10,000.
    public static let maximumPartCount = 10_000
}

/// The version of the Specimens library, recorded in every run manifest (`runtime.specimen`)
/// and in the `created_by` of the metrics files it writes.
public let specimenVersion = "0.1.0"

/// What a conditional create (``S3Client/create(_:_:metadata:)``) did.
public enum S3CreateOutcome: Sendable, Hashable {
    /// This call created the object.
    case created
    /// Something already stood at the key (S3 answered 412 Precondition Failed), and it is not
    /// what this call wrote; nothing was changed.
    case alreadyExists
}

// `specimen-s3`: the `specimen` command line with S3 support. `specimen` hands it every
// command that names an `s3://` address (or runs with an `s3://` SPECIMEN_ROOT); it can also be
// run directly. It is a separate executable so that only commands that need networking load
// FoundationNetworking and the libraries under it.
import ArgumentParser
import SpecimenCommandLine
import SpecimenS3

StorageLocator.register { location in try SpecimenLocation.storage(for: location, caching: StorageLocator.usesCache) }
SpecimenCommand.main()

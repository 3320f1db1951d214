import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A file-system error as one line a person reads: the path and the system's reason, never an `NSError` dump.
enum FileErrorText {
    /// `PATH: reason` for `error`, raised while working on `path`.
    static func describe(_ error: Error, path: String) -> String {
        "\(path): \(reason(error))"
    }

    /// The system's words for `error` (`Permission denied`, `Read-only file system`), or Foundation's.
    static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
        guard nsError.domain == NSCocoaErrorDomain else { return nsError.localizedDescription }
        switch CocoaError.Code(rawValue: nsError.code) {
        case .fileNoSuchFile, .fileReadNoSuchFile: return String(cString: strerror(ENOENT))
        case .fileWriteNoPermission, .fileReadNoPermission: return String(cString: strerror(EACCES))
        case .fileWriteVolumeReadOnly: return String(cString: strerror(EROFS))
        case .fileWriteOutOfSpace: return String(cString: strerror(ENOSPC))
        case .fileWriteFileExists: return String(cString: strerror(EEXIST))
        default: break
        }
        // Foundation's own sentence, without the domain, code and user-info dictionary.
        return nsError.localizedDescription
    }
}

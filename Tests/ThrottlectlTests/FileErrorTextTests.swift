import Foundation
import Testing

@testable import ThrottlectlCLI

/// State-directory failures print a path and the system's reason, not an `NSError` dump.
struct FileErrorTextTests {
    @Test func realFileManagerFailuresReadAsOneLine() throws {
        let path = "/proc/throttlectl-cannot-exist/state"
        var thrown: Error?
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            thrown = error
        }
        let error = try #require(thrown)
        let text = FileErrorText.describe(error, path: path)
        #expect(text.hasPrefix("\(path): "))
        #expect(!text.contains("NSError") && !text.contains("Domain=") && !text.contains("UserInfo") && !text.contains("{"))
    }

    @Test func posixAndCocoaCodesGiveStrerrorWords() {
        #expect(FileErrorText.reason(NSError(domain: NSPOSIXErrorDomain, code: Int(EACCES))) == "Permission denied")
        #expect(FileErrorText.reason(CocoaError(.fileWriteVolumeReadOnly)) == "Read-only file system")
        let wrapped = NSError(domain: NSCocoaErrorDomain, code: 512,
                              userInfo: [NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(ENOSPC))])
        #expect(FileErrorText.reason(wrapped) == "No space left on device")
    }
}

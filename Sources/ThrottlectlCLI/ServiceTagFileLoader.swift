import Foundation
import ArgumentParser
import ThrottlePolicy
import TrafficSelection

/// Reads a service-tags file for a command, turning every problem into a message and an exit code.
enum ServiceTagFileLoader {
    /// Where to get a tag file, for messages about a missing one.
    static let downloadAdvice = "Download the weekly JSON (\"Azure IP Ranges and Service Tags\") or run `az network "
        + "list-service-tags --location REGION > FILE`"

    /// The file at `path`, or exits 66 (cannot read it) or 65 (malformed, with `FILE:LINE:COLUMN`).
    static func load(_ path: String) throws -> ServiceTagFile {
        do throws(SelectionProblem) {
            return try read(path, namedAt: "")
        } catch {
            printError(error.description)
            throw ExitCode(error.exitCode)
        }
    }

    /// The file at `path`, or a problem: exit code 66 at `place` (where the path was written) when the file
    /// cannot be read, 65 with `FILE:LINE:COLUMN` into the file when it is malformed.
    static func read(_ path: String, namedAt place: String) throws(SelectionProblem) -> ServiceTagFile {
        let bytes: [UInt8]
        do throws(BoundedFileReader.Failure) {
            bytes = try BoundedFileReader.read(path, limit: maximumFileBytes)
        } catch {
            switch error {
            case .unreadable(let reason):
                let subject = place.isEmpty ? "\(path): cannot read the service-tags file (\(reason))"
                    : "cannot read the service-tags file \(path) (\(reason))"
                throw SelectionProblem(place: place, message: "\(subject). \(downloadAdvice)", exitCode: 66)
            case .tooLarge(let limit):
                throw SelectionProblem(place: "\(path):1:1", message: "the file is larger than \(limit / 1_048_576) "
                    + "MiB: that is not a service-tags file (the weekly Public file is about 4 MiB)")
            }
        }
        return try ServiceTagFile.parse(bytes, path: path)
    }

    /// Tag files larger than this are refused unread.
    static let maximumFileBytes = 64 * 1_048_576
}

import Foundation
import ArgumentParser
import TrafficSelection

/// Reads a service-tags file for a command, turning every problem into a message and an exit code.
enum ServiceTagFileLoader {
    /// The file at `path`, or exits 66 (cannot read it) or 65 (malformed, with `FILE:LINE:COLUMN`).
    static func load(_ path: String) throws -> ServiceTagFile {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
            let data = FileManager.default.contents(atPath: path)
        else {
            printError("\(path): cannot read the service-tags file (missing, a directory, or no permission). Download "
                + "the weekly JSON (\"Azure IP Ranges and Service Tags\") or run `az network list-service-tags "
                + "--location REGION > FILE`")
            throw ExitCode(ExitStatus.noInput.rawValue)
        }
        do throws(SelectionProblem) {
            return try ServiceTagFile.parse(Array(data), path: path)
        } catch {
            printError(error.description)
            throw ExitCode(error.exitCode)
        }
    }
}

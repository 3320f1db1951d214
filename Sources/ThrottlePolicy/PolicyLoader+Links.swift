import Foundation

extension PolicyLoader {
    /// Why `path`, which does not resolve to a file, is missing when it is a symbolic link: a loop, or a link to
    /// a file that does not exist; `nil` when `path` is no link (the plain "does not exist").
    static func brokenLinkReason(_ path: String) -> String? {
        var current = path
        var seen: Set<String> = [path]
        // As the kernel does, give up after 40 links (ELOOP).
        for _ in 0..<40 {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else {
                return current == path ? nil : "is a symbolic link to \(current), which does not exist"
            }
            let folder = (current as NSString).deletingLastPathComponent
            current = target.hasPrefix("/") || folder.isEmpty ? target : folder + "/" + target
            guard seen.insert((current as NSString).standardizingPath).inserted else {
                return "is a symbolic link loop"
            }
        }
        return "is a symbolic link loop"
    }
}

import Foundation
import Testing

/// A folder in the temporary directory with a policy and a tag file, removed when the value goes away.
final class TrafficFixture {
    let folder: String

    /// A small tag file in documentation ranges, named like the real tags. Under the MARS preset:
    /// IPv4 5 → 3 after merging (two adjacent /24s join, a /25 lies inside its /24), IPv6 2 → 2.
    static let tags = """
        {"changeNumber": 9, "cloud": "Public", "values": [
          {"name": "AzureActiveDirectory", "properties": {"region": "", "addressPrefixes":
            ["198.18.10.0/24", "198.18.11.0/24", "2001:db8:10::/48"]}},
          {"name": "AzureBackup", "properties": {"region": "", "addressPrefixes": ["198.18.20.0/24", "2001:db8:20::/48"]}},
          {"name": "Storage", "properties": {"region": "", "addressPrefixes": ["198.18.30.0/24", "198.18.30.0/25"]}},
          {"name": "Storage.WestEurope", "properties": {"region": "westeurope", "addressPrefixes": ["198.18.31.0/24"]}}
        ]}
        """

    /// A throttled schedule on lines 1–5 (Mondays 09:00–18:00 UTC); a traffic section starts on line 6.
    static let schedule = """
        time-zone: UTC
        work-days: [mon]
        work-hours: {start: "09:00", end: "18:00"}
        work-hour-bandwidth: 1mbit
        non-work-hour-bandwidth: 2mbit

        """

    /// The MARS flags for the same schedule.
    static let scheduleFlags = [
        "--work-days", "mon", "--start-work-hour", "09:00", "--end-work-hour", "18:00",
        "--work-hour-bandwidth", "1mbit", "--non-work-hour-bandwidth", "2mbit", "--time-zone", "UTC",
    ]

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("throttlectl-traffic-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    /// Writes `text` at `name` inside the folder (sub-folders made as needed) and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = (folder as NSString).appendingPathComponent(name)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Writes `policy.yaml` (the schedule, then `traffic`) and the tag file as `tags.json`; returns the policy path.
    func policy(_ traffic: String, tagFile: String? = TrafficFixture.tags, name: String = "policy.yaml") throws -> String {
        if let tagFile { try write("tags.json", tagFile) }
        return try write(name, Self.schedule + traffic + "\n")
    }

    func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
}

/// Where the real tag files are: `../shared/data/service-tags` beside the project.
enum RealTagFiles {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/service-tags")
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"
    static let available = FileManager.default.fileExists(atPath: folder.path)

    /// The file's path, or `nil` (a recorded failure under `CI=true`) when it is missing.
    static func path(_ name: String) -> String? {
        let path = folder.appendingPathComponent(name).path
        guard FileManager.default.fileExists(atPath: path) else {
            if isCI { Issue.record("\(path) is missing: CI lays ../shared beside the project") }
            return nil
        }
        return path
    }
}

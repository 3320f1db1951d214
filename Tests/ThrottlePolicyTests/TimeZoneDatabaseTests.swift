import Foundation
import Testing

@testable import ThrottlePolicy

/// Zone lookup by name, in a temporary zone folder and in the system's.
struct TimeZoneDatabaseTests {
    static let system = TimeZoneDatabase(directory: "/usr/share/zoneinfo")

    /// A temporary zone folder: `Test/Zone` (TZif), `Link` → `Test/Zone`, `NotTZif` (text), `Folder/`.
    static func withFolder<T>(_ body: (TimeZoneDatabase, URL) throws -> T) throws -> T {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tzdir-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("Test/Folder"),
            withIntermediateDirectories: true)
        try Data(TZifReaderTests.simple.bytes).write(to: root.appendingPathComponent("Test/Zone"))
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("Link").path,
            withDestinationPath: "Test/Zone")
        try Data("root:x:0:0:root:/root:/bin/bash\n".utf8).write(to: root.appendingPathComponent("NotTZif"))
        return try body(TimeZoneDatabase(directory: root.path), root)
    }

    @Test func zonesAreFoundByNameAndThroughLinks() throws {
        try Self.withFolder { database, _ in
            let zone = try database.zone(named: "Test/Zone")
            #expect(zone.name == "Test/Zone" && zone.offset(at: 1500) == 7200)
            let link = try TimeZoneName.parse("Link", in: database)
            #expect(link.name == "Link" && link.offset(at: 1500) == 7200)
            #expect(try database.zone(named: "Test/Zone") == zone)  // from the cache
        }
    }

    @Test(arguments: [
        ("UTC+5", "POSIX TZ rule"), ("../../etc/passwd", "\"..\""), ("/etc/passwd", "is a path"),
        ("", "empty"), ("Mars/Olympus", "no zone file"), ("NotTZif", "not a zone file (TZif)"),
        ("Test/Folder", "folder"), ("Test//Zone", "empty"), ("./Link", "\".\""), ("Test/Zone/", "empty"),
        ("Europe/Berlin;rm", "characters"), ("EST5EDT", "POSIX TZ rule"),
    ])
    func badNamesAreRefusedNamingTheFolder(name: String, fragment: String) throws {
        try Self.withFolder { database, root in
            let error = try #require(throws: ValueError.self) { try TimeZoneName.parse(name, in: database) }
            #expect(error.message.contains(fragment), "\(error.message)")
            #expect(error.message.contains("under \(root.path)"), "\(error.message)")
            #expect(error.message.contains("Europe/Berlin"), "\(error.message)")
        }
    }

    @Test func systemNamesThatLookLikeRulesAreZonesWhenTheFileExists() throws {
        #expect(try TimeZoneName.parse("EST5EDT", in: Self.system).offset(at: 0) == -18_000)
        #expect(try TimeZoneName.parse("Etc/GMT+5", in: Self.system).offset(at: 0) == -18_000)
        #expect(throws: ValueError.self) { try TimeZoneName.parse("UTC+5", in: Self.system) }
        #expect(throws: ValueError.self) { try TimeZoneName.parse("right/UTC", in: Self.system) }
        #expect(try TimeZoneName.parse(" UTC ", in: Self.system).name == "Etc/UTC")
    }

    @Test func utcWorksWithoutAnyZoneFiles() throws {
        try Self.withFolder { database, _ in
            let utc = try TimeZoneName.parse("UTC", in: database)
            #expect(utc.name == "Etc/UTC" && utc.offset(at: 1_800_000_000) == 0)
        }
    }

    @Test func theTzdataVersionComesFromTzdataZiThenPlusVersion() throws {
        try Self.withFolder { database, root in
            #expect(database.version == nil)
            #expect(database.versionDescription == "tzdata unknown from \(root.path)")
            try Data("2098a\n".utf8).write(to: root.appendingPathComponent("+VERSION"))
            #expect(database.version == "2098a")
            try Data("# version 2099z\n# redo posix_only\nR d 1916 o - Ap 30 23 1 S\n".utf8)
                .write(to: root.appendingPathComponent("tzdata.zi"))
            #expect(database.versionDescription == "tzdata 2099z from \(root.path)")
        }
    }

    @Test func concurrentLookupsShareOneCache() async throws {
        let zones = ["Europe/Berlin", "America/Havana", "Asia/Kolkata", "Pacific/Chatham"]
        let offsets = await withTaskGroup(of: Int.self) { group in
            for index in 0..<200 {
                group.addTask { (try? Self.system.zone(named: zones[index % 4]))?.offset(at: 1_800_000_000) ?? -1 }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(offsets.count == 200 && !offsets.contains(-1))
        #expect(Set(offsets) == [3600, -14_400, 19_800, 49_500])  // Havana on −4 all through 2027-01
    }
}

/// The default zone: `TZ`, `/etc/timezone`, the `/etc/localtime` link, `/etc/localtime` itself, UTC.
struct SystemZoneTests {
    static let system = TimeZoneDatabaseTests.system

    static func withFiles<T>(_ body: (URL) throws -> T) throws -> T {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("etc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        return try body(root)
    }

    @Test func eachSourceIsUsedWhenTheOnesBeforeItNameNoZone() throws {
        try Self.withFiles { root in
            let timezone = root.appendingPathComponent("timezone")
            let localtime = root.appendingPathComponent("localtime")
            func resolve(_ tz: String?) -> String {
                Self.system.systemZone(
                    SystemZoneSources(tz: tz, timezoneFile: timezone.path, localtime: localtime.path)
                ).name
            }
            #expect(resolve(nil) == "Etc/UTC")
            try Data("Asia/Tokyo\n".utf8).write(to: timezone)
            #expect(resolve(nil) == "Asia/Tokyo", "/etc/timezone when /etc/localtime is missing")
            try FileManager.default.copyItem(atPath: "/usr/share/zoneinfo/Asia/Kolkata", toPath: localtime.path)
            #expect(resolve(nil) == "localtime", "/etc/localtime wins over /etc/timezone, as in glibc")
            #expect(
                Self.system.systemZone(
                    SystemZoneSources(
                        tz: nil, timezoneFile: timezone.path,
                        localtime: localtime.path)
                ).offset(at: 0) == 19_800)
            try FileManager.default.removeItem(at: localtime)
            try FileManager.default.createSymbolicLink(
                atPath: localtime.path,
                withDestinationPath: "/usr/share/zoneinfo/America/Havana")
            #expect(resolve(nil) == "America/Havana")
            // TZ as glibc reads it: a POSIX rule is honoured; empty or unknown means UTC, not the next source.
            let posix = Self.system.systemZone(SystemZoneSources(tz: "UTC+5", timezoneFile: timezone.path,
                                                                 localtime: localtime.path))
            #expect(posix.name == "UTC+5" && posix.offset(at: 0) == -18_000)
            let eastern = Self.system.systemZone(SystemZoneSources(tz: "EST5EDT,M3.2.0,M11.1.0",
                                                                   timezoneFile: timezone.path, localtime: localtime.path))
            #expect(eastern.offset(at: 1_784_000_000) == -14_400, "July 2026: EDT")
            #expect(eastern.offset(at: 1_795_600_800) == -18_000, "November 2026: EST")
            #expect(resolve("") == "Etc/UTC")
            #expect(resolve("bogus/zone") == "Etc/UTC")
            #expect(resolve(":Europe/Berlin") == "Europe/Berlin")
            #expect(resolve("Europe/Dublin") == "Europe/Dublin")
            #expect(resolve(":/usr/share/zoneinfo/Pacific/Apia") == "Pacific/Apia")
        }
    }

    @Test func relativeLocaltimeLinksAndPosixCopiesNameTheZone() throws {
        try Self.withFiles { root in
            let link = root.appendingPathComponent("localtime").path
            try FileManager.default.createSymbolicLink(
                atPath: link, withDestinationPath: "../usr/share/zoneinfo/posix/Europe/Lisbon")
            #expect(TimeZoneDatabase.zoneName(linkedFrom: link) == "Europe/Lisbon")
            #expect(TimeZoneDatabase.zoneName(linkedFrom: root.appendingPathComponent("missing").path) == nil)
        }
    }

    @Test func withoutAnyZoneFilesTheDefaultIsTheBuiltInUTC() throws {
        try Self.withFiles { root in
            let empty = TimeZoneDatabase(directory: root.path)
            let zone = empty.systemZone(
                SystemZoneSources(
                    tz: "Europe/Berlin", timezoneFile: root.path + "/none",
                    localtime: root.path + "/none"))
            #expect(zone == .utc)
        }
    }
}

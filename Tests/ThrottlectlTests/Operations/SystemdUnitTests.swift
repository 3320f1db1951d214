import Foundation
import Testing
import TestSupport

/// contrib's systemd units: `systemd-analyze verify` finds nothing to say, and the daemon's unit is as
/// locked down as the issue asks.
struct SystemdUnitTests {
    static let units = [
        "systemd/throttlectl@.service", "throttlectl-apply@.service", "throttlectl-apply@.timer",
    ]

    /// Copies every unit into a scratch unit folder with ExecStart pointing at the built binary (verify
    /// checks that the command exists), then verifies one instance of each template.
    @Test func everyUnitVerifiesCleanly() throws {
        let binary = BinaryRunner.executable.path
        try Contrib.withScratchFolder("units") { folder in
            for unit in Self.units {
                let text = try Contrib.text(unit)
                    .replacingOccurrences(of: "/usr/local/bin/throttlectl", with: binary)
                    .replacingOccurrences(of: "/usr/bin/throttlectl", with: binary)
                let name = URL(fileURLWithPath: unit).lastPathComponent
                try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
            let instances = [
                "throttlectl@eth0.service", "throttlectl-apply@eth0.service", "throttlectl-apply@eth0.timer",
            ]
            let result = try run(["SYSTEMD_UNIT_PATH=\(folder.path):", "systemd-analyze", "verify", "--man=no"]
                + instances, allowFailure: true)
            #expect(result.status == 0, "\(result.output)")
            // verify exits 0 on unknown keys and bad values, and only says so: any output is a problem.
            #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(result.output)")
        }
    }

    /// The check above catches mistakes: the same unit with a typo is reported.
    @Test func verifyReportsATypo() throws {
        try Contrib.withScratchFolder("units") { folder in
            let text = try Contrib.text("systemd/throttlectl@.service")
                .replacingOccurrences(of: "/usr/bin/throttlectl", with: BinaryRunner.executable.path)
                .replacingOccurrences(of: "NoNewPrivileges=yes", with: "NoNewPrivilege=yes")
            try text.write(to: folder.appendingPathComponent("throttlectl@.service"), atomically: true, encoding: .utf8)
            let result = try run(["SYSTEMD_UNIT_PATH=\(folder.path):", "systemd-analyze", "verify", "--man=no",
                                  "throttlectl@eth0.service"], allowFailure: true)
            #expect(result.output.contains("Unknown key 'NoNewPrivilege'"), "\(result.output)")
        }
    }

    @Test func daemonUnitIsNotifyWithOnlyNetAdmin() throws {
        let text = try Contrib.text("systemd/throttlectl@.service")
        func value(_ key: String) -> [String] { Contrib.unitValues(key, in: text) }
        #expect(value("Type") == ["notify"])
        #expect(value("NotifyAccess") == ["main"])
        #expect(value("WatchdogSec").count == 1)
        #expect(value("CapabilityBoundingSet") == ["CAP_NET_ADMIN"])
        #expect(value("AmbientCapabilities") == ["CAP_NET_ADMIN"])
        for (key, expected) in [("NoNewPrivileges", "yes"), ("ProtectSystem", "strict"), ("PrivateTmp", "yes"),
                                ("StateDirectory", "throttlectl"), ("RuntimeDirectory", "throttlectl"),
                                ("Restart", "on-failure"), ("ExecReload", "/bin/kill -HUP $MAINPID")]
        {
            #expect(value(key) == [expected], "\(key)")
        }
        let exec = try #require(value("ExecStart").first)
        #expect(exec.hasPrefix("/usr/bin/throttlectl run --policy /etc/throttlectl/policy.yaml --interface %I"))
        #expect(exec.contains("--state-dir /var/lib/throttlectl") && exec.contains("--run-dir /run/throttlectl"))
    }
}

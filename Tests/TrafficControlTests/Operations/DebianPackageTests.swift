import Foundation
import Testing
import TestSupport

extension KernelSuites {
    /// contrib/package-deb.sh: builds the .deb (release, Swift runtime linked in), which installs with
    /// `dpkg -i`, runs, and purges without a trace. Under KernelSuites: a release build is CPU-heavy.
    @Suite struct DebianPackageTests {
        static let installed = "/usr/bin/throttlectl"

        static func isInstalled() throws -> Bool {
            let query = try run(["dpkg-query", "-W", "-f=${Status}", "throttlectl"], allowFailure: true)
            return query.status == 0 && query.output.contains("install ok installed")
        }

        /// The median wall time of `binary --version` over `runs` runs, in milliseconds.
        static func startupMilliseconds(_ binary: String, runs: Int = 21) throws -> Double {
            var times: [Double] = []
            for _ in 0..<runs {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: binary)
                process.arguments = ["--version"]
                process.standardOutput = FileHandle.nullDevice
                let start = DispatchTime.now().uptimeNanoseconds
                try process.run()
                process.waitUntilExit()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                #expect(process.terminationStatus == 0)
            }
            return times.sorted()[runs / 2]
        }

        /// The Ansible role in package mode, into this machine's `/` (systemd is not PID 1 here, so nothing
        /// is enabled): it installs the package and the policy, and a second run changes nothing. Everything
        /// it wrote is removed afterwards.
        func installWithTheAnsibleRole(package: String, scratch: URL) throws {
            let written = ["/etc/throttlectl", "/etc/default/throttlectl", "/var/cache/throttlectl.deb"]
            for path in written {
                try #require(!FileManager.default.fileExists(atPath: path), "\(path) exists: not touching it")
            }
            defer {
                _ = try? run(["dpkg", "--purge", "throttlectl"], allowFailure: true)
                for path in written { try? FileManager.default.removeItem(atPath: path) }
            }
            // The apt module needs Debian's python3-apt, so modules run with Debian's Python.
            let variables = ["throttlectl_deb": package, "throttlectl_policy_src": AnsibleRoleTests.example]
            let debian = "/usr/bin/python3"
            let first = try AnsibleRoleTests.play(variables: variables, interpreter: debian, scratch: scratch)
            #expect(first.status == 0, "\(first.output)")
            #expect(try AnsibleRoleTests.changed(first.output) > 0, "\(first.output)")
            #expect(try Self.isInstalled())
            #expect(FileManager.default.contentsEqual(atPath: "/etc/throttlectl/policy.yaml",
                                                      andPath: AnsibleRoleTests.example))
            let second = try AnsibleRoleTests.play(variables: variables, interpreter: debian, scratch: scratch)
            #expect(second.status == 0, "\(second.output)")
            #expect(try AnsibleRoleTests.changed(second.output) == 0, "\(second.output)")
        }

        @Test func buildsInstallsRunsAndPurges() throws {
            // Never replace a throttlectl someone installed on this machine.
            try #require(!(try Self.isInstalled()), "a throttlectl package is already installed here")
            try Contrib.withScratchFolder("deb") { scratch in
                let started = Date()
                let built = try run(["bash", Contrib.path("package-deb.sh"), scratch.path], allowFailure: true)
                #expect(built.status == 0, "\(built.output.suffix(4000))")
                let package = try #require(built.output.split(separator: "\n").last.map(String.init))
                #expect(package.hasSuffix(".deb") && FileManager.default.fileExists(atPath: package), "\(built.output)")
                print("package-deb.sh took \(Int(Date().timeIntervalSince(started))) s")

                let contents = try run(["dpkg-deb", "-c", package]).output
                for path in ["./usr/bin/throttlectl", "./lib/systemd/system/throttlectl@.service",
                             "./lib/systemd/system/throttlectl-apply@.timer", "./usr/share/man/man1/throttlectl.1.gz",
                             "./usr/share/bash-completion/completions/throttlectl",
                             "./usr/share/zsh/vendor-completions/_throttlectl",
                             "./usr/share/fish/vendor_completions.d/throttlectl.fish"]
                {
                    #expect(contents.contains(" \(path)\n"), "\(path) is not in the package")
                }

                let install = try run(["dpkg", "-i", package], allowFailure: true)
                defer { _ = try? run(["dpkg", "--purge", "throttlectl"], allowFailure: true) }
                #expect(install.status == 0, "\(install.output)")
                let version = try run([Self.installed, "--version"])
                #expect(version.output.hasPrefix("throttlectl 0.1.0 (tzdata"), "\(version.output)")
                let next = try run([Self.installed, "next", "--policy", BinaryRunner.example("mars-documented.yaml"),
                                    "--from", "2026-11-23T00:00:00Z", "--count", "1"])
                #expect(next.output.contains("2026-11-23T09:00:00+01:00"))
                // The Swift runtime and Foundation are inside the binary: only libnl and the C/C++ runtime are not.
                let libraries = try run(["ldd", Self.installed]).output
                #expect(!libraries.contains("libswiftCore") && !libraries.contains("libFoundation"), "\(libraries)")
                let unit = try String(contentsOfFile: "/lib/systemd/system/throttlectl@.service", encoding: .utf8)
                #expect(unit.contains("ExecStart=/usr/bin/throttlectl run"))
                let completion = try run(["bash", "-c",
                    "source /usr/share/bash-completion/completions/throttlectl && complete -p throttlectl"])
                #expect(completion.output.contains("throttlectl"))

                let staticStartup = try Self.startupMilliseconds(Self.installed)
                let dynamicStartup = try Self.startupMilliseconds(BinaryRunner.executable.path)
                print("start-up (--version, median of 21): static release \(staticStartup) ms, "
                    + "dynamic debug \(dynamicStartup) ms")
                #expect(staticStartup < dynamicStartup, "the static binary starts no faster than the dynamic one")

                let purge = try run(["dpkg", "--purge", "throttlectl"], allowFailure: true)
                #expect(purge.status == 0, "\(purge.output)")
                #expect(!(try Self.isInstalled()))
                for path in [Self.installed, "/lib/systemd/system/throttlectl@.service",
                             "/usr/share/man/man1/throttlectl.1.gz", "/usr/share/doc/throttlectl"]
                {
                    #expect(!FileManager.default.fileExists(atPath: path), "\(path) is left after purge")
                }

                try installWithTheAnsibleRole(package: package, scratch: scratch)
            }
        }
    }
}

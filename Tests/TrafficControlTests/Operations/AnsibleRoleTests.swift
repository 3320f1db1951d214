import Foundation
import Testing
import TestSupport

extension KernelSuites {
    /// contrib/ansible's role, run for real on localhost (`connection: local`) into a scratch install root
    /// with ansible-core from PyPI: a first run installs, a second changes nothing, a broken policy is refused
    /// and leaves the installed one; ansible-lint finds nothing. Under KernelSuites: Ansible is CPU-heavy.
    @Suite struct AnsibleRoleTests {
        static let example = BinaryRunner.example("office-hours.yaml")

        /// Writes a playbook that applies the role with `policy` (a file) into `root`, and runs it.
        static func play(root: URL, policy: String, scratch: URL) throws -> (status: Int32, output: String) {
            try play(variables: [
                "throttlectl_install_root": root.path, "throttlectl_binary": BinaryRunner.executable.path,
                "throttlectl_policy_src": policy,
                "throttlectl_extra_args": "--metrics-file /var/lib/throttlectl/throttlectl.prom",
            ], scratch: scratch)
        }

        /// Runs the role on localhost with `variables` and `interfaces` (a YAML list); modules run with
        /// `interpreter` (default: the virtualenv's Python).
        static func play(variables: [String: String], interfaces: String = "[eth0, eth1]",
                         interpreter: String = "{{ ansible_playbook_python }}",
                         scratch: URL) throws -> (status: Int32, output: String)
        {
            let playbook = scratch.appendingPathComponent("try-role.yml")
            let lines = variables.sorted { $0.key < $1.key }.map { "        \($0.key): \"\($0.value)\"" }
            try ("""
                - name: Try the throttlectl role
                  hosts: localhost
                  connection: local
                  gather_facts: false
                  vars:
                    ansible_python_interpreter: "\(interpreter)"
                  roles:
                    - role: throttlectl
                      vars:
                        throttlectl_interfaces: \(interfaces)

                """ + lines.joined(separator: "\n") + "\n").write(to: playbook, atomically: true, encoding: .utf8)
            return try run([
                "ANSIBLE_ROLES_PATH=\(Contrib.path("ansible/roles"))", "ANSIBLE_HOME=\(scratch.path)/home",
                "ANSIBLE_LOCAL_TEMP=\(scratch.path)/tmp",
                "ANSIBLE_REMOTE_TEMP=\(scratch.path)/remote-tmp", "ANSIBLE_NOCOLOR=1", "ANSIBLE_FORCE_COLOR=0",
                PythonTools.path("ansible-playbook"), "-i", "localhost,", playbook.path,
            ], allowFailure: true)
        }

        /// The `changed=` count of the play recap.
        static func changed(_ output: String) throws -> Int {
            let recap = try #require(
                output.split(separator: "\n").last { $0.hasPrefix("localhost") && $0.contains("changed=") })
            let field = try #require(recap.split(separator: " ").first { $0.hasPrefix("changed=") })
            return try #require(Int(field.dropFirst("changed=".count)))
        }

        @Test func installsThenChangesNothingAndRefusesABrokenPolicy() throws {
            try Contrib.withScratchFolder("ansible") { scratch in
                let root = scratch.appendingPathComponent("root")
                let first = try Self.play(root: root, policy: Self.example, scratch: scratch)
                #expect(first.status == 0, "\(first.output)")
                #expect(try Self.changed(first.output) > 0, "\(first.output)")

                let binary = root.appendingPathComponent("usr/local/bin/throttlectl").path
                #expect(FileManager.default.isExecutableFile(atPath: binary))
                #expect(FileManager.default.contentsEqual(atPath: binary, andPath: BinaryRunner.executable.path))
                func installed(_ path: String) throws -> String {
                    try String(contentsOfFile: root.appendingPathComponent(path).path, encoding: .utf8)
                }
                let unit = try installed("etc/systemd/system/throttlectl@.service")
                let expectedUnit = try Contrib.text("systemd/throttlectl@.service")
                    .replacingOccurrences(of: "/usr/bin/throttlectl", with: "/usr/local/bin/throttlectl")
                #expect(unit == expectedUnit)
                let policy = root.appendingPathComponent("etc/throttlectl/policy.yaml").path
                #expect(FileManager.default.contentsEqual(atPath: policy, andPath: Self.example))
                let defaults = try installed("etc/default/throttlectl")
                #expect(defaults.contains("THROTTLECTL_ARGS=\"--metrics-file /var/lib/throttlectl/throttlectl.prom\""))

                let second = try Self.play(root: root, policy: Self.example, scratch: scratch)
                #expect(second.status == 0, "\(second.output)")
                #expect(try Self.changed(second.output) == 0, "\(second.output)")

                // A policy that throttlectl validate refuses is not installed: the old one stays.
                let broken = scratch.appendingPathComponent("broken.yaml")
                try "work-days: [mon]\nwork-hours: {start: \"25:00\", end: \"18:00\"}\n"
                    .write(to: broken, atomically: true, encoding: .utf8)
                let refused = try Self.play(root: root, policy: broken.path, scratch: scratch)
                #expect(refused.status != 0)
                #expect(refused.output.contains("failed to validate"), "\(refused.output)")
                // throttlectl's own FILE:LINE:COLUMN message reaches the operator.
                #expect(refused.output.contains(".yaml:2:21: \\\"25:00\\\" is out of range"), "\(refused.output)")
                #expect(FileManager.default.contentsEqual(atPath: policy, andPath: Self.example))
            }
        }

        /// systemd would split `THROTTLECTL_ARGS` at whitespace without unquoting it, and a name that is not a
        /// Linux interface name has no unit: both are refused before anything is written.
        @Test(arguments: [
            ("[eth0]", "--metrics-file \\\"/var/lib/a b.prom\\\""),
            ("[eth0]", "--metrics-file /x.prom\\\\"),
            ("[\"eth0/1\"]", ""),
            // An alias label: Linux refuses ":" in a name, and so does throttlectl (exit 64, no restart).
            ("[\"eth0:1\"]", ""),
            ("[averyveryverylongname]", ""),
        ])
        func refusesUnsafeArgumentsAndInterfaceNamesBeforeWritingAnything(interfaces: String, extra: String) throws {
            try Contrib.withScratchFolder("ansible-refuse") { scratch in
                let root = scratch.appendingPathComponent("root")
                let result = try Self.play(variables: [
                    "throttlectl_install_root": root.path, "throttlectl_binary": BinaryRunner.executable.path,
                    "throttlectl_policy_src": Self.example, "throttlectl_extra_args": extra,
                ], interfaces: interfaces, scratch: scratch)
                #expect(result.status != 0, "\(result.output)")
                #expect(result.output.contains("interface names are"), "\(result.output)")
                #expect(!FileManager.default.fileExists(atPath: root.path), "\(result.output)")
            }
        }

        @Test func ansibleLintIsClean() throws {
            try Contrib.withScratchFolder("ansible-lint") { scratch in
                // The virtualenv's bin first on PATH, as its activation would (ansible-lint warns otherwise).
                let result = try run([
                    "sh", "-c",
                    "cd \"$1\" && PATH=\"$3:$PATH\" HOME=\"$2\" ANSIBLE_HOME=\"$2/ansible\" "
                        + "ansible-lint --offline --nocolor",
                    "lint", Contrib.path("ansible"), scratch.path, "\(PythonTools.root)/bin",
                ], allowFailure: true)
                #expect(result.status == 0, "\(result.output)")
                #expect(result.output.contains("Passed"), "\(result.output)")
            }
        }
    }
}

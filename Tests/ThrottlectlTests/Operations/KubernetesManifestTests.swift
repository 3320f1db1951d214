import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// contrib/kubernetes/daemonset.yaml: valid against the Kubernetes schemas offline (kubernetes-validate from
/// PyPI, strict: unknown fields refused), host network, only NET_ADMIN, the policy from a ConfigMap that
/// `throttlectl validate` accepts, running `throttlectl run`.
struct KubernetesManifestTests {
    static let manifest = Contrib.path("kubernetes/daemonset.yaml")

    static func validate(_ path: String) throws -> (status: Int32, output: String) {
        try run([PythonTools.path("kubernetes-validate"), "--strict", path], allowFailure: true)
    }

    /// The manifest's documents as JSON objects (PyYAML, from the same virtualenv).
    static func documents() throws -> [[String: Any]] {
        let script = "import json, sys, yaml; print(json.dumps(list(yaml.safe_load_all(open(sys.argv[1])))))"
        let result = try run([PythonTools.path("python3"), "-c", script, manifest])
        return try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]])
    }

    @Test func validatesStrictlyOffline() throws {
        let result = try Self.validate(Self.manifest)
        #expect(result.status == 0, "\(result.output)")
        for kind in ["namespace/throttlectl", "configmap/throttlectl-policy", "daemonset/throttlectl"] {
            #expect(result.output.contains("passed for resource \(kind)"), "\(result.output)")
        }
    }

    /// The validator is not vacuous: a misspelt field fails.
    @Test func aMisspeltFieldFails() throws {
        try Contrib.withScratchFolder("k8s") { folder in
            let broken = try String(contentsOfFile: Self.manifest, encoding: .utf8)
                .replacingOccurrences(of: "hostNetwork: true", with: "hostNetwrok: true")
            let path = folder.appendingPathComponent("daemonset.yaml")
            try broken.write(to: path, atomically: true, encoding: .utf8)
            let result = try Self.validate(path.path)
            #expect(result.status != 0)
            #expect(result.output.contains("hostNetwrok"), "\(result.output)")
        }
    }

    @Test func hostNetworkOnlyNetAdminPolicyFromConfigMap() throws {
        let documents = try Self.documents()
        let daemonSet = try #require(documents.first { $0["kind"] as? String == "DaemonSet" })
        let pod = try #require((daemonSet["spec"] as? [String: Any])?["template"] as? [String: Any])
        let spec = try #require(pod["spec"] as? [String: Any])
        #expect(spec["hostNetwork"] as? Bool == true)
        let containers = try #require(spec["containers"] as? [[String: Any]])
        #expect(containers.count == 1)
        let container = containers[0]
        #expect(container["command"] as? [String] == ["/usr/bin/throttlectl"])
        let args = try #require(container["args"] as? [String])
        #expect(args.first == "run" && args.contains("--interface") && args.contains("--policy"))
        let security = try #require(container["securityContext"] as? [String: Any])
        let capabilities = try #require(security["capabilities"] as? [String: Any])
        #expect(capabilities["add"] as? [String] == ["NET_ADMIN"])
        #expect(capabilities["drop"] as? [String] == ["ALL"])
        #expect(security["privileged"] as? Bool == false && security["allowPrivilegeEscalation"] as? Bool == false)

        // The policy file the daemon reads is the ConfigMap's key, and it is a valid policy.
        let volumes = try #require(spec["volumes"] as? [[String: Any]])
        let policyVolume = try #require(volumes.first { $0["configMap"] != nil })
        let mounts = try #require(container["volumeMounts"] as? [[String: Any]])
        let mount = try #require(mounts.first { $0["name"] as? String == policyVolume["name"] as? String })
        let policyPath = try #require(args.drop { $0 != "--policy" }.dropFirst().first)
        // Mounted as a file (subPath): the ConfigMap's folder itself is world-writable (see below).
        #expect(mount["subPath"] as? String == "policy.yaml")
        #expect(policyPath == (mount["mountPath"] as? String))
        let configMap = try #require(documents.first { $0["kind"] as? String == "ConfigMap" })
        let policy = try #require((configMap["data"] as? [String: String])?["policy.yaml"])
        try Contrib.withScratchFolder("k8s-policy") { folder in
            let file = folder.appendingPathComponent("policy.yaml")
            try policy.write(to: file, atomically: true, encoding: .utf8)
            let validated = try BinaryRunner.run(["validate", file.path])
            #expect(validated.status == 0, "\(validated.stderr)")
        }
    }

    /// Why the policy is mounted with subPath: kubelet lays a ConfigMap volume out as a folder of mode 0777
    /// holding `..data` and a link per key; running as root, `run` refuses a policy under it (exit 77, so the pod
    /// would crash-loop), while the file that subPath mounts, in a folder of the image, is accepted.
    @Test func aConfigMapFolderIsRefusedAsRootWhileTheSubPathFileIsAccepted() throws {
        guard geteuid() == 0 else { return }  // the trust check is for root only
        try Contrib.withScratchFolder("k8s-trust") { folder in
            let volume = folder.appendingPathComponent("volume").path
            let stamped = volume + "/..2026_12_01_00_00_00.000000001"
            try FileManager.default.createDirectory(atPath: stamped, withIntermediateDirectories: true)
            chmod(folder.path, 0o755)
            chmod(volume, 0o777)
            chmod(stamped, 0o755)
            let policy = "throttling: false\ntime-zone: UTC\n"
            try policy.write(toFile: stamped + "/policy.yaml", atomically: true, encoding: .utf8)
            chmod(stamped + "/policy.yaml", 0o644)
            try FileManager.default.createSymbolicLink(atPath: volume + "/..data",
                                                       withDestinationPath: "..2026_12_01_00_00_00.000000001")
            try FileManager.default.createSymbolicLink(atPath: volume + "/policy.yaml",
                                                       withDestinationPath: "..data/policy.yaml")
            let file = folder.appendingPathComponent("policy.yaml").path
            try policy.write(toFile: file, atomically: true, encoding: .utf8)
            chmod(file, 0o644)
            // An unsafe --run-dir (exit 1) is checked after the policy's trust: reaching it proves the policy passed,
            // and ends `run` before it starts.
            let unsafe = folder.appendingPathComponent("open").path
            try FileManager.default.createDirectory(atPath: unsafe, withIntermediateDirectories: false)
            chmod(unsafe, 0o777)
            func run(_ policy: String) throws -> BinaryRunner.Result {
                try BinaryRunner.run(["run", "--policy", policy, "-i", "thrnosuch0", "--state-dir", folder.path + "/state",
                                      "--run-dir", unsafe], timeout: 20)
            }
            let configMap = try run(volume + "/policy.yaml")
            #expect(configMap.status == 77, "\(configMap.stderr)")
            #expect(configMap.stderr.contains("writable by group or others"), "\(configMap.stderr)")
            // The file given is named (it used to name the folder holding the link, as if that were the policy).
            #expect(configMap.stderr.hasPrefix("refusing the policy \(volume)/policy.yaml: its directory \(volume) "),
                    "\(configMap.stderr)")
            let subPath = try run(file)
            #expect(subPath.status == 1, "\(subPath.stderr)")
            #expect(subPath.stderr.contains("\(unsafe) is not safe"), "\(subPath.stderr)")
        }
    }
}

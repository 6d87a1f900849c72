import DatasetKit
import Foundation
import Testing

/// The Slurm and Kubernetes examples the README points to, run as written (paths moved into a
/// scratch folder), so they keep working as the flags change.
@Suite struct ScaleOutExamplesTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let yaml = PythonInterop.interpreter(with: ["yaml", "json"])

    static func text(_ example: String) throws -> String { try String(contentsOfFile: repository + "/examples/" + example, encoding: .utf8) }

    @Test func slurmArrayTasksThenTheDependentMergeRunAsWritten() throws {
        let s = Scratch()
        ShardCommandTests.dataset(s)
        // `dataset` and a pass-through `srun` on the PATH, as on a cluster node.
        s.write("bin/srun", Array("#!/bin/sh\nexec \"$@\"\n".utf8))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: s.path + "/bin/srun")
        try FileManager.default.createSymbolicLink(atPath: s.path + "/bin/dataset", withDestinationPath: CLI.binary)
        let pack = try Self.text("slurm/pack.sbatch").split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix("DATA=") ? "DATA=\(s.path)/src" : line.hasPrefix("OUT=") ? "OUT=\(s.path)/shards" : String(line)
        }
        let array = try #require(pack.first { $0.hasPrefix("#SBATCH --array=") }).dropFirst("#SBATCH --array=".count)
        let bounds = array.split(separator: "-").compactMap { Int($0) }
        #expect(bounds.count == 2 && bounds[0] == 0)
        s.write("pack.sbatch", Array(pack.joined(separator: "\n").utf8))
        for task in bounds[0]...bounds[1] {
            let r = try CLI.run([s.path + "/pack.sbatch"], executable: "/bin/bash", environment: [
                "PATH": s.path + "/bin:/usr/bin:/bin", "SLURM_ARRAY_TASK_ID": "\(task)", "SLURM_ARRAY_TASK_MIN": "\(bounds[0])",
                "SLURM_ARRAY_TASK_COUNT": "\(bounds[1] - bounds[0] + 1)", "SLURM_CPUS_PER_TASK": "2"])
            #expect(r.status == 0, "task \(task): \(r.stderr)")
        }
        let merge = try Self.text("slurm/merge.sbatch")
        #expect(merge.contains("/shared/datasets/food-101-shards"))
        s.write("merge.sbatch", Array(merge.replacingOccurrences(of: "/shared/datasets/food-101-shards", with: s.path + "/shards").utf8))
        let r = try CLI.run([s.path + "/merge.sbatch"], executable: "/bin/bash", environment: ["PATH": s.path + "/bin:/usr/bin:/bin"])
        #expect(r.status == 0, "\(r.stderr)")
        let manifest = try Manifest(path: s.path + "/shards/manifest.json")
        #expect(manifest.splits.map(\.count) == [3, 13] && manifest.image.height == 224)
    }

    @Test(.enabled(if: yaml != nil, "needs python3 with PyYAML to read the job files"))
    func kubernetesIndexedJobThenTheMergeJobRunAsWritten() throws {
        let s = Scratch()
        // What the pods see at the volume's mount path.
        ShardCommandTests.dataset(s, at: "volume/food-101-split")
        let script = """
            import json, sys, yaml
            pack, merge = (yaml.safe_load(open(p)) for p in sys.argv[1:3])
            spec = pack["spec"]
            assert pack["kind"] == "Job" and spec["completionMode"] == "Indexed", "not an Indexed Job"
            assert spec["completions"] == spec["parallelism"], "completions != parallelism"
            container = spec["template"]["spec"]["containers"][0]
            env = {e["name"]: e for e in container["env"]}
            assert "job-completion-index" in env["JOB_COMPLETION_INDEX"]["valueFrom"]["fieldRef"]["fieldPath"]
            claims = [v["persistentVolumeClaim"]["claimName"] for v in spec["template"]["spec"]["volumes"]]
            other = merge["spec"]["template"]["spec"]
            assert claims == [v["persistentVolumeClaim"]["claimName"] for v in other["volumes"]], "the merge sees another volume"
            print(json.dumps({"completions": spec["completions"], "mount": container["volumeMounts"][0]["mountPath"],
                              "pack": container["args"], "merge": other["containers"][0]["args"]}))
            """
        let parsed = try PythonInterop.run(Self.yaml!, script, arguments: [Self.repository + "/examples/kubernetes/pack-job.yaml",
                                                                          Self.repository + "/examples/kubernetes/merge-job.yaml"])
        #expect(parsed.status == 0, "\(parsed.stderr)")
        struct Jobs: Decodable { var completions: Int; var mount: String; var pack: [String]; var merge: [String] }
        let jobs = try JSONDecoder().decode(Jobs.self, from: Data(parsed.stdout.utf8))
        #expect(jobs.pack.last == "$(JOB_COMPLETION_INDEX)/\(jobs.completions)")
        let onVolume = { (argument: String) in
            argument.hasPrefix(jobs.mount + "/") ? s.path + "/volume" + argument.dropFirst(jobs.mount.count) : argument
        }
        for index in 0..<jobs.completions {
            let arguments = jobs.pack.map { onVolume($0.replacingOccurrences(of: "$(JOB_COMPLETION_INDEX)", with: "\(index)")) }
            let r = try CLI.run(arguments)
            #expect(r.status == 0, "pod \(index): \(r.stderr)")
        }
        let r = try CLI.run(jobs.merge.map(onVolume))
        #expect(r.status == 0, "\(r.stderr)")
        let manifest = try Manifest(path: s.path + "/volume/food-101-shards/manifest.json")
        #expect(manifest.splits.map(\.count) == [3, 13])
    }
}

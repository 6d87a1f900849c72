import ArgumentParser
import DatasetKit

/// `--shard I/N`: do one worker's part of the run, so N independent workers (a Slurm array
/// job, a Kubernetes Indexed Job) cover the input exactly once between them.
struct ShardFlags: ParsableArguments {
    @Option(help: ArgumentHelp("Do only part I of N (0-based, 0 <= I < N) of the input, chosen by a stable hash of each file's relative path: N workers with I = 0..N-1 cover it exactly once (Slurm: $SLURM_ARRAY_TASK_ID/N with --array=0-(N-1); Kubernetes: $(JOB_COMPLETION_INDEX)/N).",
                               valueName: "I/N"))
    var shard: String?

    func validate() throws {
        guard let shard else { return }
        do { _ = try WorkShard(parsing: shard) } catch { throw ValidationError("--shard: \(error.description).") }
    }

    /// The worker's part; nil when the whole input is done. (Valid after `validate()`.)
    var workShard: WorkShard? { shard.flatMap { try? WorkShard(parsing: $0) } }
}

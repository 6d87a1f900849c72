import Foundation
import Synchronization

/// How many images one class ends with, and why.
public struct ClassCount: Sendable, Codable, Equatable {
    /// The class folder (`train/cat`) or label; `.` for images at the top of a class-folder input.
    public var name: String
    /// Images found.
    public var originals: Int
    /// Of those, how many could not be read (left out; their copies went to the others).
    public var unreadable: Int
    /// Outputs there after the run: originals kept, augmented copies, and their total.
    public var keptOriginals: Int
    public var copies: Int
    public var images: Int
    /// Planned outputs that could not be written.
    public var failed: Int
}

/// What a run did: the usual summary, the count per class, and what is in the output.
public struct AugmentReport: Sendable {
    public var summary: RunSummary
    public var classes: [ClassCount]
    /// Every planned output there after the run (written or already present), by task order.
    public var present: [(item: AugmentItem, output: AugmentOutput, parameters: TransformParameters?)]

    /// The `--log` records of the outputs present (parameters of skipped copies only when known).
    public var records: [ParamsRecord] {
        present.map { ParamsRecord(source: $0.item.source, output: $0.output.destination, params: $0.parameters) }
    }
}

/// Runs an augmentation plan on `jobs` threads, one source per work item.
///
/// A source that cannot be read is left out, and the plan is made again without it: its class
/// still ends at its size, from the other originals (which only gain copies, so nothing written
/// before falls out of the plan). That repeats until no new bad source turns up; every later
/// pass writes only what the earlier ones did not.
///
/// With a `shard` (`--shard I/N`) the plan is still made from every item, so each class gets the
/// copies it would get in one run, and only the sources in the shard are done: N workers
/// write exactly what one run writes. The one exception is an unreadable source: its copies
/// cannot move to sources in other workers, so it is reported and its class ends short.
public struct AugmentRun: Sendable {
    public var planner: AugmentPlanner
    public var job: AugmentJob
    public var sourceRoot: String
    public var destinationRoot: String
    public var jobs: Int
    /// Stop at the first failure (`--strict`).
    public var strict: Bool
    /// Do only the sources of this worker's part (nil: all).
    public var shard: WorkShard?

    public init(planner: AugmentPlanner, job: AugmentJob, sourceRoot: String, destinationRoot: String, jobs: Int, strict: Bool = false,
                shard: WorkShard? = nil) {
        self.planner = planner
        self.job = job
        self.sourceRoot = sourceRoot
        self.destinationRoot = destinationRoot
        self.jobs = jobs
        self.strict = strict
        self.shard = shard
    }

    /// The tasks to do once the sources in `unreadable` are known to be bad.
    func tasks(unreadable: [String: String]) -> [AugmentTask] {
        guard let shard else { return planner.tasks(excluding: Set(unreadable.keys)) }
        // Planned from every item and never re-balanced: another worker's sources cannot take
        // the place of an unreadable one here without two workers writing the same files.
        return planner.tasks().filter { shard.contains($0.item.source) && unreadable[$0.item.source] == nil }
    }

    /// The items this run does.
    var items: [AugmentItem] { shard.map { $0.filter(planner.items, path: \.source) } ?? planner.items }

    /// Runs the plan. `progress` makes the display for a pass of `total` outputs (nil: none).
    /// Problems found before the run (`planFailures`, `planWarnings`) lead the summary.
    public func execute(planFailures: [Problem] = [], planWarnings: [Problem] = [],
                        progress: (_ pass: Int, _ total: Int) -> ProgressReporter? = { _, _ in nil }) throws(FileError) -> AugmentReport {
        let start = Date()
        var unreadable: [String: String] = [:]
        var finished: [String: (ItemOutcome, TransformParameters?)] = [:]
        var stopped = strict && !planFailures.isEmpty
        var pass = 0
        while !stopped {
            let tasks = tasks(unreadable: unreadable).compactMap { task -> AugmentTask? in
                let left = task.outputs.filter { finished[$0.destination] == nil }
                return left.isEmpty ? nil : AugmentTask(item: task.item, outputs: left)
            }
            if tasks.isEmpty { break }
            pass += 1
            try createFolders(for: tasks)
            let reporter = progress(pass, tasks.reduce(0) { $0 + $1.outputs.count })
            let results = runPass(tasks, reporter: reporter)
            reporter?.finish()
            var newlyUnreadable = false
            for (task, result) in zip(tasks, results) {
                guard let result else { continue }
                if let reason = result.sourceFailure {
                    unreadable[task.item.source] = reason
                    newlyUnreadable = true
                    continue
                }
                for (i, output) in task.outputs.enumerated() { finished[output.destination] = (result.outcomes[i], result.parameters[i]) }
            }
            stopped = strict && (newlyUnreadable || finished.values.contains { if case .failed = $0.0 { true } else { false } })
            if !newlyUnreadable { break }
        }
        return report(unreadable: unreadable, finished: finished, planFailures: planFailures, planWarnings: planWarnings,
                      seconds: Date().timeIntervalSince(start))
    }

    /// One pass over `tasks`; nil for tasks not attempted after a `--strict` stop.
    private func runPass(_ tasks: [AugmentTask], reporter: ProgressReporter?) -> [AugmentJob.Result?] {
        let stop = StopFlag()
        let (job, sourceRoot, destinationRoot, strict) = (job, sourceRoot, destinationRoot, strict)
        return ParallelRunner.map(0..<tasks.count, jobs: jobs) { index -> AugmentJob.Result? in
            if stop.isSet { return nil }
            let result = job.process(tasks[index], sourceRoot: sourceRoot, destinationRoot: destinationRoot)
            let failure: ItemOutcome? = result.sourceFailure.map { .failed($0) }
            for outcome in result.outcomes { reporter?.record(failure ?? outcome) }
            if strict, failure != nil || result.outcomes.contains(where: { if case .failed = $0 { true } else { false } }) { stop.set() }
            return result
        }
    }

    private func createFolders(for tasks: [AugmentTask]) throws(FileError) {
        var folders = Set<String>()
        for task in tasks {
            for output in task.outputs {
                for path in [output.destination] + (output.companion.map { [$0] } ?? []) {
                    let parts = path.split(separator: "/").dropLast().map(String.init)
                    folders.insert(([destinationRoot] + parts).joined(separator: "/"))
                }
            }
        }
        for folder in folders.sorted() { try FileIO.createDirectories(folder) }
    }

    private func report(unreadable: [String: String], finished: [String: (ItemOutcome, TransformParameters?)],
                        planFailures: [Problem], planWarnings: [Problem], seconds: Double) -> AugmentReport {
        let tasks = tasks(unreadable: unreadable)
        let items = items
        var paths: [String] = [], outcomes: [ItemOutcome?] = []
        for item in items { if let reason = unreadable[item.source] { paths.append(sourceRoot + "/" + item.source); outcomes.append(.failed(reason)) } }
        var present: [(item: AugmentItem, output: AugmentOutput, parameters: TransformParameters?)] = []
        var counts: [String: ClassCount] = [:]
        var order: [String] = []
        for item in items {
            guard let group = item.group, counts[group] == nil else { continue }
            order.append(group)
            counts[group] = ClassCount(name: group, originals: 0, unreadable: 0, keptOriginals: 0, copies: 0, images: 0, failed: 0)
        }
        for item in items {
            guard let group = item.group else { continue }
            counts[group]!.originals += 1
            if unreadable[item.source] != nil { counts[group]!.unreadable += 1 }
        }
        for task in tasks {
            for output in task.outputs {
                let done = finished[output.destination]
                paths.append(destinationRoot + "/" + output.destination)
                outcomes.append(done?.0)
                let isThere: Bool
                switch done?.0 {
                case .done?, .skipped?: isThere = true
                default: isThere = false
                }
                if isThere { present.append((task.item, output, done?.1)) }
                guard let group = task.item.group else { continue }
                if isThere {
                    counts[group]!.images += 1
                    if case .original = output.kind { counts[group]!.keptOriginals += 1 } else { counts[group]!.copies += 1 }
                } else if case .failed? = done?.0 {
                    counts[group]!.failed += 1
                }
            }
        }
        var summary = RunSummary(command: "augment", paths: paths, outcomes: outcomes, seconds: seconds)
        summary.total += planFailures.count
        summary.failed += planFailures.count
        summary.failures = planFailures + summary.failures
        summary.warnings = planWarnings + summary.warnings
        if let shard {
            summary.shard = WorkShard.Coverage(shard: shard, items: items.count, total: planner.items.count)
            for item in items where unreadable[item.source] != nil {
                let planned = planner.tasks().first { $0.item.source == item.source }?.outputs.count ?? 0
                summary.warnings.append(Problem(path: sourceRoot + "/" + item.source,
                                                reason: "unreadable: under --shard the class's other images cannot make up its \(planned) planned output\(planned == 1 ? "" : "s"), so the class ends \(planned) short (clean the input first, or augment without --shard)"))
            }
        }
        return AugmentReport(summary: summary, classes: order.map { counts[$0]! }, present: present)
    }
}

/// Set once by any worker; read by all.
private final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .relaxed) }
    func set() { flag.store(true, ordering: .relaxed) }
}

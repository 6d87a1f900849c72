/// Pure functions from a dataset listing to a `SplitPlan`: the published split, a stratified
/// split by ratios, and a validation split carved from train. Nothing here touches the disk.
public enum SplitPlanner {
    /// The plan `settings` ask for: `ratios` if given, else the dataset's published lists
    /// (a plain class-folder tree needs ratios or a validation fraction), then the validation
    /// carve. `done` holds output paths (relative to the output folder) that already exist:
    /// a listed file gone from the source but present there was moved by an earlier run.
    public static func plan(_ listing: DatasetListing, settings: SplitSettings,
                            done: Set<String> = []) throws(SplitError) -> SplitPlan {
        let classes = try settings.selection.resolve(allClasses(listing))
        var plan: SplitPlan
        if let ratios = settings.ratios {
            plan = byRatios(listing, classes: classes, ratios: ratios, seed: settings.seed, done: done)
        } else if !listing.lists.isEmpty {
            plan = fromLists(listing, classes: classes, done: done)
        } else if settings.validationFraction != nil {
            plan = byRatios(listing, classes: classes, ratios: try SplitRatios(fractions: [1]), seed: settings.seed, done: done)
        } else {
            throw .needsRatios
        }
        if let fraction = settings.validationFraction {
            plan = try carvingValidation(plan, fraction: fraction, seed: settings.seed)
        }
        plan.problems = listing.problems + plan.problems
        return plan
    }

    /// The dataset's classes in its own order, then any class only its lists name (sorted).
    public static func allClasses(_ listing: DatasetListing) -> [String] {
        let known = Set(listing.classes)
        let extra = Set(listing.lists.flatMap { $0.files.map(\.className) }).subtracting(known)
        return listing.classes + DatasetListing.byteOrder(extra)
    }

    /// The published split, restricted to `classes`. Listed files that are missing, images no
    /// list names, and images listed twice are reported.
    public static func fromLists(_ listing: DatasetListing, classes: [String], done: Set<String> = []) -> SplitPlan {
        let (listed, problems) = collectListed(listing, classes: classes) { file, split in
            done.contains(split + "/" + file.className + "/" + file.name)
        }
        var items = listed.map { SplitItem(source: $0.file.path, split: $0.split, className: $0.file.className, name: $0.file.name) }
        items = ordered(items, splits: listing.lists.map(\.split), classes: classes)
        var plan = SplitPlan(splits: listing.lists.map(\.split), classes: classes, items: items, problems: problems)
        uniqueNames(&plan, root: listing.imageRoot)
        return plan
    }

    /// A stratified split: each class's files (the published lists pooled, or every image of a
    /// class-folder tree) are sorted, shuffled by a generator seeded with (seed, class name),
    /// and cut by `SplitRatios.counts(for:)`. The same seed gives the same plan; a class's
    /// split does not depend on which other classes are selected.
    public static func byRatios(_ listing: DatasetListing, classes: [String], ratios: SplitRatios, seed: UInt64,
                                done: Set<String> = []) -> SplitPlan {
        var pool: [String: [LabelledFile]] = [:]
        var problems: [SplitProblem] = []
        if listing.lists.isEmpty {
            let selected = Set(classes)
            for file in listing.found where selected.contains(file.className) { pool[file.className, default: []].append(file) }
        } else {
            let (listed, found) = collectListed(listing, classes: classes) { file, _ in
                ratios.splits.contains { done.contains($0 + "/" + file.className + "/" + file.name) }
            }
            for entry in listed { pool[entry.file.className, default: []].append(entry.file) }
            problems = found
        }
        var items: [SplitItem] = []
        for className in classes {
            var files = (pool[className] ?? []).sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
            var generator = SeededGenerator(seed: seed, item: className)
            files.seededShuffle(using: &generator)
            var start = 0
            for (split, count) in zip(ratios.splits, ratios.counts(for: files.count)) {
                let part = files[start..<start + count].sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
                items += part.map { SplitItem(source: $0.path, split: split, className: className, name: $0.name) }
                start += count
            }
        }
        var plan = SplitPlan(splits: ratios.splits, classes: classes,
                             items: ordered(items, splits: ratios.splits, classes: classes), problems: problems)
        uniqueNames(&plan, root: listing.imageRoot)
        return plan
    }

    /// Moves a fraction of each class's train files to a new `val` split (placed after
    /// train). Per class, the train files sorted by path are shuffled by a generator seeded
    /// with (seed, class name, 1), and the first `validationCount` go to val.
    public static func carvingValidation(_ plan: SplitPlan, fraction: Double, seed: UInt64) throws(SplitError) -> SplitPlan {
        guard fraction > 0 && fraction < 1 else { throw .badValidationFraction(fraction) }
        guard let trainIndex = plan.splits.firstIndex(of: "train") else { throw .noTrainSplit }
        if let existing = SplitName.first(.val, in: plan.splits) { throw .validationExists(existing) }
        var byClass: [String: [Int]] = [:]
        for (i, item) in plan.items.enumerated() where item.split == "train" { byClass[item.className, default: []].append(i) }
        var result = plan
        for className in plan.classes {
            var indices = (byClass[className] ?? []).sorted {
                plan.items[$0].source.utf8.lexicographicallyPrecedes(plan.items[$1].source.utf8)
            }
            var generator = SeededGenerator(seed: seed, item: className, index: 1)
            indices.seededShuffle(using: &generator)
            for i in indices.prefix(validationCount(indices.count, fraction: fraction)) { result.items[i].split = "val" }
        }
        result.splits.insert("val", at: trainIndex + 1)
        result.items = ordered(result.items, splits: result.splits, classes: result.classes)
        return result
    }

    /// How many of a class's `n` train files become validation files: `n × fraction` rounded
    /// half away from zero, but at least 1 and at most `n − 1` when `n ≥ 2` (both splits get
    /// a file where possible); a class of one file keeps it in train.
    public static func validationCount(_ n: Int, fraction: Double) -> Int {
        guard n >= 2 else { return 0 }
        return min(max(Int((Double(n) * fraction).rounded()), 1), n - 1)
    }

    // MARK: - Helpers

    /// The listed files of the selected classes, first listing wins. `alreadyDone` says when
    /// a file absent from the image folder is already in the output (moved there before).
    private static func collectListed(_ listing: DatasetListing, classes: [String],
                                      alreadyDone: (LabelledFile, String) -> Bool)
        -> (listed: [(split: String, file: LabelledFile)], problems: [SplitProblem]) {
        let selected = Set(classes)
        let excluded = Set(allClasses(listing)).subtracting(selected)
        let present = Set(listing.found.map(\.path))
        let root = listing.imageRoot + "/"
        var origin: [String: String] = [:]
        var listed: [(split: String, file: LabelledFile)] = []
        var problems: [SplitProblem] = []
        for list in listing.lists {
            for file in list.files where selected.contains(file.className) {
                if let first = origin[file.path] {
                    problems.append(SplitProblem(.duplicate, path: root + file.path,
                                                 detail: "listed in \(first) and again in \(list.origin); kept where first listed"))
                    continue
                }
                origin[file.path] = list.origin
                guard present.contains(file.path) || alreadyDone(file, list.split) else {
                    problems.append(SplitProblem(.missing, path: root + file.path, detail: "listed in \(list.origin) but not found"))
                    continue
                }
                listed.append((list.split, file))
            }
        }
        for file in listing.found where origin[file.path] == nil && !excluded.contains(file.className) {
            problems.append(SplitProblem(.unlisted, path: root + file.path, detail: "in no split list; left out"))
        }
        return (listed, problems)
    }

    /// Sorts items by split, then class, keeping the order within each (split, class).
    private static func ordered(_ items: [SplitItem], splits: [String], classes: [String]) -> [SplitItem] {
        let splitRank = Dictionary(splits.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let classRank = Dictionary(classes.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        return items.enumerated().sorted { a, b in
            let ka = (splitRank[a.element.split] ?? .max, classRank[a.element.className] ?? .max, a.offset)
            let kb = (splitRank[b.element.split] ?? .max, classRank[b.element.className] ?? .max, b.offset)
            return ka < kb
        }.map(\.element)
    }

    /// Two files meeting at one output name (same file name in two source folders) get
    /// `name_2.ext`, `name_3.ext`, ... in plan order, so nothing is overwritten.
    private static func uniqueNames(_ plan: inout SplitPlan, root: String) {
        var taken = Set<String>()
        for i in plan.items.indices where !taken.insert(plan.items[i].destination).inserted {
            let original = plan.items[i].destination
            let ext = FileTree.pathExtension(plan.items[i].name)
            let stem = FileTree.deletingExtension(plan.items[i].name)
            var n = 2
            repeat {
                plan.items[i].name = stem + "_\(n)" + (ext.isEmpty ? "" : "." + ext)
                n += 1
            } while !taken.insert(plan.items[i].destination).inserted
            plan.problems.append(SplitProblem(.renamed, path: root + "/" + plan.items[i].source,
                                              detail: "another file already goes to \(original); written as \(plan.items[i].destination)"))
        }
    }
}

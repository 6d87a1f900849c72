import Testing
@testable import DatasetKit

@Suite struct ClassBalancerTests {
    static func originals(_ n: Int) -> [String] { (0..<n).map { "cat/\($0).jpg" } }

    @Test func everyClassEndsWithExactlyTheSizeSpreadEvenly() {
        for n in 1...25 {
            for size in [1, 7, 24, 25, 26, 60, 600] {
                let shares = ClassBalancer(target: .classSize(size, cap: false), seed: 5).plan(Self.originals(n))
                let copies = shares.map(\.copies)
                #expect(shares.allSatisfy { $0.keepsOriginal })
                #expect(shares.reduce(0) { $0 + $1.outputs } == max(n, size), "n \(n) size \(size)")
                #expect(copies.max()! - copies.min()! <= 1)
                if n >= size { #expect(copies.allSatisfy { $0 == 0 }) }
                else { #expect(Set(copies).isSubset(of: [(size - n) / n, (size - n) / n + 1])) }
            }
        }
    }

    @Test func capSamplesBigClassesDownAndNoOriginalsMakesTheSizeFromCopies() {
        let capped = ClassBalancer(target: .classSize(10, cap: true), seed: 5).plan(Self.originals(37))
        #expect(capped.filter(\.keepsOriginal).count == 10 && capped.allSatisfy { $0.copies == 0 })
        let small = ClassBalancer(target: .classSize(10, cap: true), seed: 5).plan(Self.originals(4))
        #expect(small.reduce(0) { $0 + $1.outputs } == 10)
        for n in [3, 10, 37] {
            let copiesOnly = ClassBalancer(target: .classSize(10, cap: false), includeOriginals: false, seed: 5).plan(Self.originals(n))
            #expect(!copiesOnly.contains { $0.keepsOriginal })
            #expect(copiesOnly.reduce(0) { $0 + $1.copies } == 10)
            #expect(copiesOnly.map(\.copies).max()! - copiesOnly.map(\.copies).min()! <= 1)
        }
    }

    @Test func copiesTargetGivesEveryImageTheSame() {
        let shares = ClassBalancer(target: .copies(3), includeOriginals: false).plan(Self.originals(4))
        #expect(shares.map(\.copies) == [3, 3, 3, 3] && !shares.contains { $0.keepsOriginal })
    }

    @Test func theSeedPicksTheExtraCopiesWhateverTheListingOrder() {
        let list = Self.originals(10)
        let balancer = ClassBalancer(target: .classSize(23, cap: false), seed: 11)
        let shares = Dictionary(uniqueKeysWithValues: balancer.plan(list).map { ($0.source, $0.copies) })
        let reversed = Dictionary(uniqueKeysWithValues: balancer.plan(list.reversed()).map { ($0.source, $0.copies) })
        #expect(shares == reversed)
        let extras = Set(shares.filter { $0.value == 2 }.keys)
        #expect(extras.count == 3)
        let otherSeed = ClassBalancer(target: .classSize(23, cap: false), seed: 12).plan(list)
        #expect(Set(otherSeed.filter { $0.copies == 2 }.map(\.source)) != extras)
    }

    /// Leaving originals out (unreadable files) never takes anything from the others.
    @Test func droppingOriginalsOnlyAddsToTheRest() {
        var generator = SeededGenerator(seed: 1)
        for trial in 0..<200 {
            let n = 2 + Int(generator.next() % 30)
            let size = 1 + Int(generator.next() % 80)
            let balancer = ClassBalancer(target: .classSize(size, cap: trial % 2 == 0), includeOriginals: trial % 3 != 0, seed: UInt64(trial))
            let all = Self.originals(n)
            let kept = all.filter { _ in generator.next() % 4 != 0 }
            guard !kept.isEmpty else { continue }
            let before = Dictionary(uniqueKeysWithValues: balancer.plan(all).map { ($0.source, $0) })
            let after = balancer.plan(kept)
            for share in after {
                let old = before[share.source]!
                #expect(share.copies >= old.copies && (share.keepsOriginal || !old.keepsOriginal), "trial \(trial)")
            }
            let total = after.reduce(0) { $0 + $1.outputs }
            let expected = balancer.includeOriginals && kept.count >= size ? (trial % 2 == 0 ? size : kept.count) : size
            #expect(total == expected, "trial \(trial)")
        }
    }
}

@Suite struct AugmentNamingTests {
    @Test func copiesNeverMeetOriginalsOrEachOther() {
        let sources = ["a/x.jpg", "a/x_aug1.jpg", "a/y.png", "a/y.jpg", "b/x.jpg", "a/x_aug1_2.jpg"]
        let naming = AugmentNaming(sources: sources, output: ImageOutput())
        #expect(naming.original("a/y.png") == "a/y_png.jpg" && naming.original("a/y.jpg") == "a/y.jpg")
        #expect(naming.copy("a/x.jpg", 1) == "a/x_aug1_3.jpg")     // a/x_aug1.jpg and _2 are sources
        #expect(naming.copy("a/x.jpg", 2) == "a/x_aug2.jpg")
        #expect(naming.copy("a/y.png", 1) == "a/y_png_aug1.jpg")
        var names = Set(sources.map { naming.original($0) })
        for source in sources { for k in 1...12 { #expect(names.insert(naming.copy(source, k)).inserted, "\(source) \(k)") } }
        let keep = AugmentNaming(sources: ["c/1.PNG", "c/2.jpeg"], output: ImageOutput(format: .keep))
        #expect(keep.copy("c/1.PNG", 3) == "c/1_aug3.PNG" && keep.copy("c/2.jpeg", 1) == "c/2_aug1.jpeg")
    }

    @Test func plannerGivesEachClassItsSizeAndAnnotationsFollowTheirImages() {
        let items = (0..<3).map { AugmentItem(source: "ImageSets/\($0).jpg", group: nil, labels: ["soups"], companion: "Annotations/\($0).txt") }
        let planner = AugmentPlanner(items: items, balancer: ClassBalancer(target: .copies(2)),
                                     naming: AugmentNaming(sources: items.map(\.source), output: ImageOutput()))
        let tasks = planner.tasks()
        #expect(tasks.map { $0.outputs.map(\.destination) }[0] == ["ImageSets/0.jpg", "ImageSets/0_aug1.jpg", "ImageSets/0_aug2.jpg"])
        #expect(tasks[0].outputs.map(\.companion) == ["Annotations/0.txt", "Annotations/0_aug1.txt", "Annotations/0_aug2.txt"])
        #expect(planner.tasks(excluding: ["ImageSets/1.jpg"]).map(\.item.source) == ["ImageSets/0.jpg", "ImageSets/2.jpg"])

        let classes = (0..<7).map { AugmentItem(source: "c\($0 % 2)/\($0).jpg", group: "c\($0 % 2)") }
        let balanced = AugmentPlanner(items: classes, balancer: ClassBalancer(target: .classSize(10, cap: false)),
                                      naming: AugmentNaming(sources: classes.map(\.source), output: ImageOutput()))
        for unreadable in [Set<String>(), ["c0/0.jpg", "c1/5.jpg"]] {
            let tasks = balanced.tasks(excluding: unreadable)
            for group in ["c0", "c1"] {
                #expect(tasks.filter { $0.item.group == group }.reduce(0) { $0 + $1.outputs.count } == 10)
            }
        }
    }

    @Test func onlyTheNamedSplitsAreAugmentedTheOthersCarriedThrough() {
        let items = ["train/a/0.jpg", "train/a/1.jpg", "test/a/2.jpg", "a/3.jpg"].map {
            AugmentItem(source: $0, group: String($0.split(separator: "/").dropLast().joined(separator: "/")))
        }
        let naming = AugmentNaming(sources: items.map(\.source), output: ImageOutput())
        let planner = AugmentPlanner(items: items, balancer: ClassBalancer(target: .classSize(6, cap: false), includeOriginals: false),
                                     naming: naming, splits: ["train"])
        let outputs = planner.tasks().map { $0.outputs.map(\.destination) }
        #expect(outputs[0].count + outputs[1].count == 6 && outputs[0].allSatisfy { $0.contains("_aug") })
        #expect(outputs[2] == ["test/a/2.jpg"])          // kept as it is, even with no originals elsewhere
        #expect(outputs[3] == ["a/3.jpg"])               // not under a named split: carried too
        #expect(planner.isAugmented(items[0]) && !planner.isAugmented(items[2]))
        let everything = AugmentPlanner(items: items, balancer: ClassBalancer(target: .copies(1)), naming: naming)
        #expect(everything.tasks().allSatisfy { $0.outputs.count == 2 })
    }
}

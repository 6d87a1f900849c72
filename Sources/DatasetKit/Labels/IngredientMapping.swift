import Foundation

/// Folds many fine-grained tags (Recipes5k's ingredients) into a few labels, as the multi-label
/// food tutorial did (soups, mains, appetizer, dessert, protein, fats, carbs, healthy, junk,
/// meat). Read from a two-column CSV `ingredient,label`:
///
/// - an ingredient may have several rows (`beef,protein` and `beef,meat`);
/// - a key may also be a Recipes5k class (`miso_soup,soups`), so dish-type labels can come from
///   the recipe's class;
/// - an empty label (`salt,`) marks an ingredient as known but tagless (not reported unmapped);
/// - keys match case-insensitively, with `_` read as a space and runs of blanks as one;
/// - a first row `ingredient,label` is a header and skipped.
public struct IngredientMapping: Sendable, Equatable {
    /// The labels, in the order the file first names them (the classes' order).
    public private(set) var labels: [String] = []
    private var table: [String: [String]] = [:]

    /// A mapping from `(key, label)` pairs; an empty label marks the key as tagless.
    public init(_ entries: [(key: String, label: String)]) {
        for (key, label) in entries {
            let normalised = Self.normalise(key)
            guard !normalised.isEmpty else { continue }
            var mapped = table[normalised] ?? []
            if !label.isEmpty {
                if !mapped.contains(label) { mapped.append(label) }
                if !labels.contains(label) { labels.append(label) }
            }
            table[normalised] = mapped
        }
    }

    /// Reads a mapping CSV.
    public static func read(path: String) throws(LabelsError) -> IngredientMapping {
        try mapping(CSVDocument.records(atPath: path), path: path)
    }

    /// Parses mapping CSV bytes; `path` names them in messages.
    public static func parse(_ bytes: [UInt8], path: String) throws(LabelsError) -> IngredientMapping {
        try mapping(CSVDocument.records(bytes, path: path), path: path)
    }

    private static func mapping(_ records: [[String]], path: String) throws(LabelsError) -> IngredientMapping {
        var entries: [(key: String, label: String)] = []
        var sawFirst = false
        let lines = CSVDocument.startLines(records)
        for (index, record) in records.enumerated() where !CSVDocument.isBlank(record) {
            defer { sawFirst = true }
            if !sawFirst, record.count == 2, record[0].lowercased() == "ingredient", record[1].lowercased() == "label" { continue }
            guard record.count <= 2 else {
                throw .malformed(path: path, line: lines[index], reason: "\(record.count) fields, expected 'ingredient,label'")
            }
            entries.append((record[0], record.count == 2 ? record[1] : ""))
        }
        guard !entries.isEmpty else { throw .malformed(path: path, line: 0, reason: "no 'ingredient,label' rows") }
        return IngredientMapping(entries)
    }

    /// The labels of one recipe: those of each mapped ingredient and of its class, in mapping
    /// order. Ingredients with no mapping are returned as `unmapped` (in list order, once each)
    /// and, with `keepUnmapped`, also kept as labels of their own. The class is optional and
    /// never reported as unmapped.
    public func fold(_ ingredients: [String], recipeClass: String? = nil,
                     keepUnmapped: Bool = false) -> (labels: [String], unmapped: [String]) {
        var found = Set<String>(), unmapped: [String] = []
        for ingredient in ingredients {
            let key = Self.normalise(ingredient)
            if key.isEmpty { continue }
            if let mapped = table[key] { found.formUnion(mapped) } else if !unmapped.contains(ingredient) { unmapped.append(ingredient) }
        }
        if let recipeClass, let mapped = table[Self.normalise(recipeClass)] { found.formUnion(mapped) }
        let ordered = labels.filter(found.contains)
        return (keepUnmapped ? ordered + unmapped : ordered, unmapped)
    }

    /// Folds every item's tags. `recipeClass` gives an item's class, if it has one (Recipes5k's
    /// `<class>/<file>`). Returns the folded items and the unmapped ingredients with the number
    /// of items naming each, most frequent first.
    public func fold(_ items: [TaggedItem], keepUnmapped: Bool = false,
                     recipeClass: (TaggedItem) -> String? = { _ in nil }) -> (items: [TaggedItem], unmapped: [MultiHotReport.Count]) {
        var counts: [String: Int] = [:]
        let folded = items.map { item -> TaggedItem in
            let result = fold(item.tags, recipeClass: recipeClass(item), keepUnmapped: keepUnmapped)
            for ingredient in result.unmapped { counts[ingredient, default: 0] += 1 }
            return TaggedItem(name: item.name, tags: result.labels, origin: item.origin)
        }
        return (folded, MultiHotReport.Count.ranked(counts))
    }

    /// Warnings for unmapped ingredients, placed at the mapping file.
    public static func unmappedWarnings(_ unmapped: [MultiHotReport.Count], mappingPath: String, keptUnmapped: Bool) -> [Problem] {
        let outcome = keptUnmapped ? "kept as a label (--keep-unmapped)" : "ignored (--keep-unmapped keeps it)"
        return unmapped.map {
            Problem(path: mappingPath, reason: "'\($0.name)' has no label (\(MultiHotReport.images($0.count))): \(outcome)")
        }
    }

    /// Lower case, `_` as a space, blanks collapsed, trimmed.
    static func normalise(_ key: String) -> String {
        key.lowercased().replacingOccurrences(of: "_", with: " ")
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}

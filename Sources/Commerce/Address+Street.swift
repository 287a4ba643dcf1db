import Foundation

extension Address {
    /// `address1` split into street and house number, as ERP debtor records keep them:
    /// `Hauptstraße 5a` → (`Hauptstraße`, `5a`), `Am Markt 3 - 5` → (`Am Markt`, `3 - 5`),
    /// `Lindenweg 12 b` → (`Lindenweg`, `12 b`), `12 Rue de Rivoli` → (`Rue de Rivoli`, `12`).
    /// Without a number the whole text is the street.
    public var streetParts: (street: String, number: String) {
        Self.split(address1 ?? "")
    }

    static func split(_ text: String) -> (street: String, number: String) {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard words.count > 1 else { return (text.trimmingSpaces, "") }
        func startsWithDigit(_ word: String) -> Bool { word.first?.isNumber == true }
        // The number is the earliest trailing run that starts with a digit and holds only
        // number parts: `12`, `12a`, `12 b`, `3 - 5`, `3-5`, `12/1` (`des 17. Juni 100` → `100`).
        for start in words.indices.dropFirst() where startsWithDigit(words[start]) {
            let rest = words[(start + 1)...]
            let numberParts = rest.allSatisfy { word in
                word == "-" || word == "/" || startsWithDigit(word) || (word.count == 1 && word.first!.isLetter)
            }
            if numberParts, rest.count <= 2 {
                return (words[..<start].joined(separator: " "), words[start...].joined(separator: " "))
            }
        }
        if startsWithDigit(words[0]) {
            return (words.dropFirst().joined(separator: " "), words[0].trimmingCharacters(in: [","]))
        }
        return (text.trimmingSpaces, "")
    }
}

extension String {
    fileprivate var trimmingSpaces: String { trimmingCharacters(in: .whitespaces) }
}

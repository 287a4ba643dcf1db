import Formats

/// Reads `text` (or bytes) with a dialect, in small chunks so boundaries are exercised.
func records(_ text: String, _ dialect: CSVDialect = CSVDialect(), chunk: Int = 7) throws -> [[String]] {
    try records(Array(text.utf8), dialect, chunk: chunk)
}

func records(_ bytes: [UInt8], _ dialect: CSVDialect = CSVDialect(), chunk: Int = 7) throws -> [[String]] {
    let reader = CSVReader(source: MemorySource(bytes, chunkLimit: chunk), dialect: dialect, chunkSize: 64)
    return try reader.readAll().map(\.fields)
}

func readError(_ bytes: [UInt8], _ dialect: CSVDialect = CSVDialect()) -> CSVReadError? {
    let reader = CSVReader(source: MemorySource(bytes, chunkLimit: 5), dialect: dialect, chunkSize: 16)
    do {
        _ = try reader.readAll()
        return nil
    } catch {
        return error
    }
}

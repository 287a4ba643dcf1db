/// The stable codes of data diagnostics: `HR1xx` read, `HV2xx` validate, `HM3xx` map, `HE4xx`
/// EDIFACT, `HT5xx` transport, `HS6xx` shop.
///
/// Codes never change meaning once released; docs/problem-codes.md lists them with the same texts.
public enum DiagnosticCode: String, Sendable, Codable, CaseIterable {
    case invalidEncoding = "HR101"
    case unbalancedQuote = "HR102"
    case wrongFieldCount = "HR103"
    case nulByte = "HR104"
    case recordTooLong = "HR105"
    case noHeader = "HR106"
    case unreadable = "HR107"
    case notWellFormedXML = "HR108"
    case soapFault = "HR109"
    case looksLikeUTF8 = "HR110"

    case missingColumn = "HV201"
    case extraColumn = "HV202"
    case duplicateColumn = "HV203"
    case badCheckDigit = "HV204"
    case wrongType = "HV205"
    case requiredValue = "HV206"
    case duplicateValue = "HV207"
    case duplicateKey = "HV208"
    case tooShort = "HV209"
    case tooLong = "HV210"
    case belowMinimum = "HV211"
    case aboveMaximum = "HV212"
    case patternMismatch = "HV213"
    case notAllowed = "HV214"
    case wrongColumnName = "HV215"
    case xsdViolation = "HV216"

    case unmappedValue = "HM301"
    case mappedTypeMismatch = "HM302"
    case missingShopKey = "HM303"
    case variantConflict = "HM304"
    case expressionFailed = "HM305"
    case emptyFile = "HM306"
    case truncatedFile = "HM307"
    case rowCountDrop = "HM308"
    case shipmentConflict = "HM309"

    case edifactSyntax = "HE401"
    case edifactEnvelope = "HE402"
    case edifactCharacter = "HE403"

    case symlinkRefused = "HT501"
    case notRegularFile = "HT502"
    case badFileName = "HT503"
    case fileTooLarge = "HT504"
    case fileChanged = "HT505"

    case shopRefused = "HS601"
    case shopUnavailable = "HS602"
    case unknownSKU = "HS603"
    case unknownLocation = "HS604"
    case writesBlocked = "HS605"
    case unknownOrder = "HS606"
    case overShipped = "HS607"
    case shipmentUncertain = "HS608"

    /// One line saying what the code means.
    public var title: String {
        switch self {
        case .invalidEncoding: "bytes that are not valid in the configured character encoding"
        case .unbalancedQuote: "a quoted field that is never closed"
        case .wrongFieldCount: "a row with more or fewer fields than the header"
        case .nulByte: "a NUL byte (0x00) inside a row"
        case .recordTooLong: "a row or field longer than the configured limit"
        case .noHeader: "the file is empty or has no header row"
        case .unreadable: "the file could not be read"
        case .notWellFormedXML: "XML that is not well-formed, breaks a limit, or has a DOCTYPE or entity"
        case .soapFault: "a SOAP envelope that holds a Fault instead of data"
        case .looksLikeUTF8: "a file in UTF-8 where the flow expects a single-byte encoding such as windows-1252"
        case .xsdViolation: "an element or attribute the XSD does not allow"
        case .missingColumn: "a column the schema requires is missing"
        case .extraColumn: "a column the schema does not know"
        case .duplicateColumn: "the same column name appears twice in the header"
        case .badCheckDigit: "a GTIN/EAN whose check digit is wrong"
        case .wrongType: "a value that is not of the field's type or format"
        case .requiredValue: "a required value is empty"
        case .duplicateValue: "a value that must be unique appears again"
        case .duplicateKey: "a primary key that appears again"
        case .tooShort: "a value shorter than minLength"
        case .tooLong: "a value longer than maxLength"
        case .belowMinimum: "a value below the minimum"
        case .aboveMaximum: "a value above the maximum"
        case .patternMismatch: "a value that does not match the field's pattern"
        case .notAllowed: "a value that is not in the field's list of allowed values"
        case .wrongColumnName: "a header column whose name differs from the schema"
        case .unmappedValue: "a value that the flow's value table does not list, and the table has no default"
        case .mappedTypeMismatch: "a mapped value that does not fit the shop field (text for a price, an unknown status)"
        case .missingShopKey: "a record without the key that identifies it in the shop (SKU, handle, location)"
        case .variantConflict: "variants of one product that clash (same option values, or options missing on some)"
        case .expressionFailed: "a mapping expression that cannot be computed for this record"
        case .shipmentConflict: "rows of one shipment that disagree (some name articles, some ship the whole order)"
        case .unknownOrder: "a shipment for an order the shop does not have"
        case .overShipped: "a shipment of more than the order still has to ship (or an article the order lacks)"
        case .shipmentUncertain: "a shipment without a tracking number, interrupted while it was sent, whose order changed since: whether it reached the shop cannot be told, so it is not sent again"
        case .emptyFile: "a file without data rows: nothing is sent (an empty export never clears the shop)"
        case .truncatedFile: "a file that ends in the middle of a row: it looks cut off, so nothing from it is sent"
        case .rowCountDrop: "far fewer rows than the last good file of the flow: held until an admin approves it"
        case .edifactSyntax: "EDIFACT that cannot be read: a bad UNA, a segment without its terminator, a bad tag, bytes outside the charset, a broken limit"
        case .edifactEnvelope: "an EDIFACT envelope that is wrong: UNB/UNZ, UNG/UNE or UNH/UNT missing, references that differ, counts that are wrong"
        case .edifactCharacter: "a character outside the interchange's syntax level (a lower-case letter under UNOA), or a syntax identifier Hafen does not know"
        case .symlinkRefused: "a symbolic link in the inbox (refused)"
        case .notRegularFile: "something in the inbox that is not a regular file"
        case .badFileName: "a file name Hafen refuses (control characters, path separators, too long)"
        case .fileTooLarge: "a file over the flow's size limit"
        case .fileChanged: "the file changed while Hafen was reading it"
        case .shopRefused: "the shop refused an object (its message and field are given)"
        case .shopUnavailable: "the shop could not be reached, refused access, or rejected a call as a whole; the rest was not sent"
        case .unknownSKU: "stock for a SKU the shop does not have"
        case .unknownLocation: "stock for a location the shop does not have (or that is inactive)"
        case .writesBlocked: "the shop's writes are blocked in hafen.yaml: nothing was sent"
        }
    }

    /// What an admin can do about it, in plain words.
    public var remedy: String {
        switch self {
        case .invalidEncoding:
            "Export the file in the encoding configured for the flow, or change `dialect.encoding` in hafen.yaml."
        case .unbalancedQuote:
            "Look for a stray double quote (\") in the named line; inside a quoted field a quote must be doubled (\"\")."
        case .wrongFieldCount:
            "Check the row for a missing or extra delimiter, or a text that contains the delimiter without quotes."
        case .nulByte:
            "The file contains binary data in that row; export it again from the ERP."
        case .recordTooLong:
            "Usually a missing closing quote makes the rest of the file one field; fix the quote in the named line."
        case .noHeader:
            "Export the file again with its header row."
        case .unreadable:
            "Check the file's permissions and that it is complete, then reprocess it."
        case .notWellFormedXML:
            "Export the file again from the ERP; Hafen reads no DTDs or entities, so the export must not contain a DOCTYPE."
        case .looksLikeUTF8:
            "Set `dialect.encoding: utf-8` for the flow in hafen.yaml, or export the file in the configured encoding; then reprocess it."
        case .soapFault:
            "The web service answered with an error instead of data: fix the call on the ERP side (the fault's code and text say why), then export again."
        case .xsdViolation:
            "Correct the element the message names in the ERP, or the XSD in schemas/ if the rule is wrong."
        case .missingColumn, .extraColumn, .duplicateColumn, .wrongColumnName:
            "Compare the header row with the flow's schema in schemas/; check the delimiter and the export template."
        case .badCheckDigit:
            "Correct the barcode in the ERP; the last digit is a check digit computed from the others."
        case .wrongType:
            "Correct the value so it matches the format shown; check decimal and thousands separators and date formats."
        case .requiredValue:
            "Fill in the value in the ERP and export again."
        case .duplicateValue, .duplicateKey:
            "Each key may appear only once per file; remove or merge the duplicate rows."
        case .tooShort, .tooLong, .belowMinimum, .aboveMaximum, .patternMismatch, .notAllowed:
            "Correct the value in the ERP so it satisfies the rule shown, or adjust the schema if the rule is wrong."
        case .unmappedValue:
            "Add the value to the table under `map:` in hafen.yaml (or give the table a `default`), or correct it in the ERP."
        case .mappedTypeMismatch, .expressionFailed:
            "Correct the value in the ERP, or the field's expression under `map:` in hafen.yaml."
        case .missingShopKey:
            "Fill in the key in the ERP (it is how the shop finds the article), then export again."
        case .emptyFile:
            "If the ERP really has nothing to send, nothing needs doing; otherwise check the export job and export again."
        case .truncatedFile:
            "Export the file again; make the ERP write it completely before it appears (temporary name or a done-marker)."
        case .rowCountDrop:
            "Check the export; if it is right (articles really were removed), run `hafen approve ID`; otherwise export again."
        case .variantConflict:
            "Give every variant of the group its own combination of option values, or correct the group column."
        case .edifactSyntax:
            "Ask the partner to send the interchange again: it is damaged or not EDIFACT (check the separators in UNA against the file)."
        case .edifactEnvelope:
            "Ask the partner to send the interchange again with matching references and counts; a CONTRL naming the segment went back to them."
        case .edifactCharacter:
            "Usually harmless (the value is kept as read); ask the partner to announce the right syntax level in UNB (UNOC for umlauts and lower case)."
        case .symlinkRefused, .notRegularFile:
            "Put a real file into the inbox, not a link, folder or pipe."
        case .badFileName:
            "Rename the file using letters, digits, dots, dashes and underscores."
        case .fileTooLarge:
            "Split the export, or raise the flow's `max_size` in hafen.yaml."
        case .fileChanged:
            "Make the ERP write the file completely before it appears (temporary name or a done-marker)."
        case .shopRefused:
            "Correct the value the shop names in the ERP (or the mapping), export again; the other objects were sent."
        case .shopUnavailable:
            "Check the shop's address, token and the network (the message says which), then `hafen reprocess ID`: what was sent is recorded and not sent twice."
        case .unknownSKU:
            "Create the product in the shop first (a product flow), or correct the SKU in the ERP."
        case .unknownLocation:
            "Map the ERP's warehouse to a location the shop has (`map: stock: location` table in hafen.yaml)."
        case .writesBlocked:
            "Set `writes: enabled` for the shop in hafen.yaml, then `hafen reprocess ID`."
        case .shipmentConflict:
            "Give every row of a shipment an article and quantity, or none (the whole order ships); or give the shipments their own tracking numbers."
        case .unknownOrder:
            "Check the order number in the ERP's shipment (it is the shop's order number, as in the order export), then export again."
        case .overShipped:
            "Check the quantities against the order (refunded or already shipped items cannot ship); correct them in the ERP and export again."
        case .shipmentUncertain:
            "Look at the order's fulfillments in the shop: if the shipment is missing, fulfill it there by hand (or give it a tracking number in the ERP and export again)."
        }
    }
}

/// The Table Schema field types Hafen casts. Others (`object`, `array`, `list`, `duration`,
/// `geopoint`, `geojson`) are refused when the schema is loaded, never silently accepted.
public enum FieldType: String, Sendable, CaseIterable {
    case string, integer, number, boolean, date, time, datetime, year, yearmonth, any
}

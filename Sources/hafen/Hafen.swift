import ArgumentParser
@main struct Hafen: ParsableCommand {}

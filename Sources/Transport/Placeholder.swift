enum _PlaceholderTransport {}

enum _PlaceholderValidation {}

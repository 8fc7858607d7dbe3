#pragma once

#include "core/io/formatspec.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace swb {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t daysFromCivil(int year, unsigned month, unsigned day);

// Parses a timestamp field written in `format` into Unix seconds UTC. Fractions of a second are
// truncated. nullopt when the text does not have the format's shape or names an impossible date.
// TimeFormat::Custom is handled by the caller (it needs a Qt pattern).
std::optional<std::int64_t> parseTimestamp(std::string_view text, TimeFormat format);

// Decimal digits only, at most 19 of them, into a signed 64-bit value (no sign accepted).
std::optional<std::int64_t> parseUnsignedDecimal(std::string_view text);
// An optional leading '-' then digits.
std::optional<std::int64_t> parseSignedDecimal(std::string_view text);

} // namespace swb

#pragma once

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace swb {

// Why an expected failure happened. Cancelled is a distinct outcome, not an error a user must read.
enum class ErrorCode
{
    Cancelled,
    InvalidArgument,
    FileUnreadable,
    FormatUnknown,
    InputRejected,
    Corrupt,
    Storage,
    NotFound,
};

// An expected failure: a translated message plus where it happened (file, line, column, field).
struct Error
{
    ErrorCode code = ErrorCode::InvalidArgument;
    QString message;
    QString file;
    qint64 line = 0; // 1-based; 0 when not about a line
    int column = 0;  // 1-based field number; 0 when not about a field
    QString field;   // field name when known

    // One line for stderr or a status bar: "file:line:column: message".
    QString toString() const;
    bool isCancelled() const { return code == ErrorCode::Cancelled; }
};

Error cancelledError();

// C++20 has no std::expected; this is the small subset the project needs.
template <typename T> class Result
{
public:
    Result(T value) : m_data(std::move(value)) {}
    Result(Error error) : m_data(std::move(error)) {}

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() & { return std::get<0>(m_data); }
    const T& value() const& { return std::get<0>(m_data); }
    T&& value() && { return std::get<0>(std::move(m_data)); }
    const Error& error() const { return std::get<1>(m_data); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

private:
    std::variant<T, Error> m_data;
};

// Result of an operation that has no value on success.
class Status
{
public:
    Status() = default;
    Status(Error error) : m_error(std::move(error)) {}
    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

} // namespace swb

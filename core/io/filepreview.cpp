#include "importer.h"

#include "core/io/bytesource.h"
#include "core/io/rowparser.h"

#include <algorithm>
#include <deque>

namespace swb {

Result<FilePreview> previewFile(const QString& path, int maxLines)
{
    auto source = ByteSource::open(path);
    if (!source)
        return source.error();
    std::string head;
    if (Status s = source.value()->readHead(head, 64 * 1024); !s)
        return s.error();
    FilePreview preview;
    preview.file = path;
    preview.lines = detail::splitLines(head, static_cast<std::size_t>(std::max(maxLines, 0)));
    auto detection = detectFormat(preview.lines, path);
    if (detection) {
        preview.detection = detection.value();
        preview.delimiter = detection->spec.delimiter;
    } else {
        preview.detectionError = detection.error().toString();
        if (!preview.lines.empty()) {
            const std::string& first = preview.lines.front();
            for (char candidate : {'\t', ';', '|'}) {
                if (std::count(first.begin(), first.end(), candidate) >
                    std::count(first.begin(), first.end(), preview.delimiter))
                    preview.delimiter = candidate;
            }
        }
    }
    std::deque<std::string> owned;
    std::vector<std::string_view> fields;
    for (const std::string& line : preview.lines) {
        std::vector<QString> row;
        if (!detail::splitFields(line, preview.delimiter, fields, owned)) {
            row.push_back(QString::fromStdString(detail::excerpt(line, 500)));
        } else {
            for (std::string_view f : fields)
                row.push_back(QString::fromStdString(detail::excerpt(f, 200)));
        }
        preview.rows.push_back(std::move(row));
    }
    return preview;
}

} // namespace swb

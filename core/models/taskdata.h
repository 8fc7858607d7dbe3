#pragma once

#include "core/jobs/cancel.h"
#include "core/prep/preparation.h"
#include "core/util/result.h"

#include <QString>
#include <QStringList>

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace swb {

// The three learning tasks of the shop's scenes.
enum class Task
{
    Intent,   // scene recognition: the behaviour of the session's next event (multiclass)
    NextItem, // browsing scene: rank the training catalogue for the next item
    Purchase, // cart scene: does the session still end in a purchase (binary)
};
QString taskKey(Task task); // intent, next-item, purchase
std::optional<Task> taskFromKey(const QString& key);

// A case is one event of a prepared session: what is known once that event has happened.
struct CaseRef
{
    std::uint32_t session = 0;  // index into PreparedData's sessions
    std::uint32_t position = 0; // 0-based event position within the session
};

// Cases of one split for a classification task: one row of `width` floats per case (row-major,
// the orientation of core/models: one observation per row), its label and where it came from.
struct FeatureCases
{
    std::vector<float> x;
    std::vector<std::int32_t> y;
    std::vector<CaseRef> refs;
    std::size_t size() const { return y.size(); }
};

// Intent and purchase cases. Features: the 13 scaled session features of core/prep (fitted on the
// training split by preparation) followed by a one-hot of the current event's behaviour.
//  - intent: a case at every event but a session's last; the label is the next event's behaviour.
//    Classes are the behaviours that occur in the run (remove_from_cart only where the log has it).
//  - purchase: a case at every event of the cart scene (the session has a cart event not yet
//    followed by a purchase, and the event itself is not a purchase); the label is whether a
//    purchase follows later in the same session (1) or not (0).
struct ClassificationData
{
    Task task = Task::Intent;
    QStringList labels;       // class names, index = label value
    QStringList featureNames; // width names
    int width = 0;
    std::array<FeatureCases, kSplitPartCount> parts;
    const FeatureCases& part(SplitPart p) const { return parts[static_cast<std::size_t>(p)]; }
};

// Builds the cases in one pass over the sessions, O(events · width). Refused (InputRejected,
// naming the split or the class) when a split has no case or the training cases hold one class.
Result<ClassificationData> buildClassificationData(const PreparedData& data, Task task,
                                                   const CancelToken& cancel);

// The items a recommender can answer with: those of the training split, indexed 0..size-1 in
// order of their dictionary code (first appearance in the log), with their training counts.
struct Catalogue
{
    std::vector<std::uint32_t> itemCode;     // catalogue index → EventTable item code
    std::vector<std::uint32_t> indexOfCode;  // item code → catalogue index, or kNoItem
    std::vector<std::int64_t> trainingCount; // catalogue index → training events
    static constexpr std::uint32_t kNoItem = 0xffffffffu;
    std::uint32_t size() const { return static_cast<std::uint32_t>(itemCode.size()); }
};

// Next-item cases: at every position p >= 1 of a session, the items before p are the context and
// the item at p is the target. Items are catalogue indices (kNoItem for an item never seen in
// training); a case whose target is kNoItem is kept and counts as a miss in evaluation.
struct NextItemData
{
    Catalogue catalogue;
    std::vector<std::uint32_t> items;        // per kept event, aligned with PreparedData::rows
    std::vector<std::uint64_t> sessionBegin; // a copy of PreparedData::sessionBegin
    std::array<std::vector<CaseRef>, kSplitPartCount> parts;
    std::array<std::int64_t, kSplitPartCount> unseenTargets{};

    const std::vector<CaseRef>& part(SplitPart p) const { return parts[static_cast<std::size_t>(p)]; }
    // The session's items before the case's position, oldest first.
    const std::uint32_t* contextBegin(const CaseRef& c) const
    {
        return items.data() + sessionBegin[c.session];
    }
    const std::uint32_t* contextEnd(const CaseRef& c) const { return contextBegin(c) + c.position; }
    std::uint32_t target(const CaseRef& c) const { return *contextEnd(c); }
};

// O(events). Refused when the training split has no item or a split has no case.
Result<NextItemData> buildNextItemData(const PreparedData& data, const CancelToken& cancel);

} // namespace swb

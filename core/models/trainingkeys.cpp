#include "trainingkeys.h"

namespace swb {

namespace {

const std::vector<std::pair<QString, nn::OptimizerKind>>& optimizerNames()
{
    static const std::vector<std::pair<QString, nn::OptimizerKind>> names = {
        {QStringLiteral("adam"), nn::OptimizerKind::Adam}, {QStringLiteral("sgd"), nn::OptimizerKind::Sgd}};
    return names;
}

// A float setting, read as a JSON number.
settings::Reader real(float& target)
{
    return [&target](const QJsonValue& v, const QString& path) -> Status {
        double value = 0;
        if (Status s = settings::number(value)(v, path); !s)
            return s;
        target = float(value);
        return {};
    };
}

} // namespace

void addTrainingKeys(std::map<QString, settings::Reader>& keys, nn::TrainParams& p)
{
    keys.emplace(QStringLiteral("lr"), real(p.lr));
    keys.emplace(QStringLiteral("epochs"), settings::integer(p.epochs));
    keys.emplace(QStringLiteral("batch_size"), settings::integer(p.batchSize));
    keys.emplace(QStringLiteral("patience"), settings::integer(p.patience));
    keys.emplace(QStringLiteral("l2"), real(p.l2));
    keys.emplace(QStringLiteral("momentum"), real(p.momentum));
    keys.emplace(QStringLiteral("optimizer"), settings::choice(p.optimizer, optimizerNames()));
}

void insertTrainingKeys(QJsonObject& json, const nn::TrainParams& p)
{
    json.insert(QStringLiteral("lr"), double(p.lr));
    json.insert(QStringLiteral("epochs"), p.epochs);
    json.insert(QStringLiteral("batch_size"), p.batchSize);
    json.insert(QStringLiteral("patience"), p.patience);
    json.insert(QStringLiteral("l2"), double(p.l2));
    json.insert(QStringLiteral("momentum"), double(p.momentum));
    for (const auto& [name, kind] : optimizerNames()) {
        if (kind == p.optimizer)
            json.insert(QStringLiteral("optimizer"), name);
    }
}

} // namespace swb

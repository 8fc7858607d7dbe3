#pragma once

#include "core/models/nn/trainer.h"
#include "core/util/jsonsettings.h"

#include <QJsonObject>

#include <map>

// The hyperparameter keys every network model takes from --params: lr, epochs, batch_size,
// patience, l2, momentum and optimizer ("adam", "sgd").
namespace swb {

// Adds readers of those keys, writing into params, to a model's key table.
void addTrainingKeys(std::map<QString, settings::Reader>& keys, nn::TrainParams& params);
// Writes those keys' values into json.
void insertTrainingKeys(QJsonObject& json, const nn::TrainParams& params);

} // namespace swb

#include "common/options.h"

#include <boost/program_options.hpp>
#include <fstream>
#include <map>
#include <sstream>

#include "common/error.h"

namespace po = boost::program_options;

namespace au {
namespace {

// Boost 1.74 builds an error's message by replacing %option%, %value%, ... in a template until
// none is left, so a name or value that itself holds such a token (an unknown option
// '--a%canonical_option%', a value '%value%') made what() loop forever (found by
// tests/fuzz/fuzz_ini_config). The message is built from a copy whose words carry no '%'.
class SafeMessage : public po::error_with_option_name {
 public:
  static std::string of(const po::error& e) {
    const auto* named = dynamic_cast<const po::error_with_option_name*>(&e);
    if (!named) return e.what();
    SafeMessage copy(*named);
    for (auto& [key, word] : copy.m_substitutions) {
      std::string safe;
      for (const char c : word) safe += c == '%' ? std::string("<%>") : std::string(1, c);
      word = safe;
    }
    return copy.what();
  }

 private:
  explicit SafeMessage(const po::error_with_option_name& e) : po::error_with_option_name(e) {}
};

std::string formatDouble(double v) {
  std::ostringstream out;
  out.precision(17);
  out << v;
  // Round-trip exactly but print the short form when it is exact (0.001, not
  // 0.00100000000000000002).
  for (int p = 1; p <= 17; ++p) {
    std::ostringstream shortForm;
    shortForm.precision(p);
    shortForm << v;
    if (std::stod(shortForm.str()) == v) return shortForm.str();
  }
  return out.str();
}

template <typename T>
std::string joinList(const std::vector<T>& values) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ",";
    if constexpr (std::is_floating_point_v<T>) {
      out += formatDouble(values[i]);
    } else {
      out += std::to_string(values[i]);
    }
  }
  return out;
}

template <typename T>
std::vector<T> parseList(const std::string& name, const std::string& text) {
  std::vector<T> values;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    size_t used = 0;
    try {
      if constexpr (std::is_floating_point_v<T>) {
        values.push_back(static_cast<T>(std::stod(item, &used)));
      } else {
        values.push_back(static_cast<T>(std::stoll(item, &used)));
      }
    } catch (const std::exception&) {
      used = 0;
    }
    while (used < item.size() && std::isspace(static_cast<unsigned char>(item[used]))) ++used;
    if (used == 0 || used != item.size())
      AU_THROW(UsageError, "option --", name, ": '", item, "' in '", text,
               "' is not a number (expected a comma-separated list)");
  }
  return values;
}

}  // namespace

struct OptionSet::Impl {
  std::string program;
  std::string summary;
  po::options_description described{"Options"};
  std::vector<std::string> names;                                // in registration order
  std::map<std::string, std::function<std::string()>> printers;  // name -> current value text
  std::vector<std::function<void()>> checks;
  std::vector<std::string> config_files;
};

OptionSet::OptionSet(std::string program, std::string summary) : impl_(std::make_unique<Impl>()) {
  impl_->program = std::move(program);
  impl_->summary = std::move(summary);
  impl_->described.add_options()("help,h", "print this help and exit")(
      "dump-config", "print the effective configuration as an INI file and exit")(
      "config", po::value<std::vector<std::string>>(&impl_->config_files)->composing(),
      "INI file of options (repeatable; sections are dotted prefixes, later files win, the "
      "command line wins over all)");
}

OptionSet::~OptionSet() = default;

void OptionSet::add(const std::string& name, std::string* field, const std::string& help) {
  impl_->described.add_options()(name.c_str(), po::value<std::string>(field)->default_value(*field),
                                 help.c_str());
  impl_->names.push_back(name);
  impl_->printers[name] = [field] { return *field; };
}

void OptionSet::add(const std::string& name, int* field, const std::string& help) {
  impl_->described.add_options()(name.c_str(), po::value<int>(field)->default_value(*field),
                                 help.c_str());
  impl_->names.push_back(name);
  impl_->printers[name] = [field] { return std::to_string(*field); };
}

void OptionSet::add(const std::string& name, long long* field, const std::string& help) {
  impl_->described.add_options()(name.c_str(), po::value<long long>(field)->default_value(*field),
                                 help.c_str());
  impl_->names.push_back(name);
  impl_->printers[name] = [field] { return std::to_string(*field); };
}

// Decimal options print their defaults and values the same way, whatever their precision.
template <typename Real>
void OptionSet::addReal(const std::string& name, Real* field, const std::string& help) {
  impl_->described.add_options()(
      name.c_str(), po::value<Real>(field)->default_value(*field, formatDouble(*field)),
      help.c_str());
  impl_->names.push_back(name);
  impl_->printers[name] = [field] { return formatDouble(*field); };
}

void OptionSet::add(const std::string& name, double* field, const std::string& help) {
  addReal(name, field, help);
}

void OptionSet::add(const std::string& name, float* field, const std::string& help) {
  addReal(name, field, help);
}

void OptionSet::add(const std::string& name, bool* field, const std::string& help) {
  impl_->described.add_options()(name.c_str(),
                                 po::value<bool>(field)
                                     ->default_value(*field, *field ? "true" : "false")
                                     ->implicit_value(true, "true"),
                                 help.c_str());
  impl_->names.push_back(name);
  impl_->printers[name] = [field] { return *field ? std::string("true") : std::string("false"); };
}

void OptionSet::add(const std::string& name, std::vector<double>* field, const std::string& help) {
  const std::string text = joinList(*field);
  impl_->described.add_options()(
      name.c_str(),
      po::value<std::string>()->default_value(text)->notifier(
          [name, field](const std::string& v) { *field = parseList<double>(name, v); }),
      help.c_str());
  impl_->names.push_back(name);
  impl_->printers[name] = [field] { return joinList(*field); };
}

void OptionSet::add(const std::string& name, std::vector<int>* field, const std::string& help) {
  const std::string text = joinList(*field);
  impl_->described.add_options()(
      name.c_str(),
      po::value<std::string>()->default_value(text)->notifier(
          [name, field](const std::string& v) { *field = parseList<int>(name, v); }),
      help.c_str());
  impl_->names.push_back(name);
  impl_->printers[name] = [field] { return joinList(*field); };
}

void OptionSet::addCheck(std::function<void()> check) { impl_->checks.push_back(std::move(check)); }

OptionSet::Outcome OptionSet::parse(int argc, const char* const* argv) {
  po::variables_map vm;
  try {
    const auto parsed = po::command_line_parser(argc, argv).options(impl_->described).run();
    // Boost drops a word that follows an option's value; a list split over words ("--x.runs a
    // b") would lose all but its first item without a word.
    const auto stray = po::collect_unrecognized(parsed.options, po::include_positional);
    if (!stray.empty())
      AU_THROW(UsageError, "unexpected argument '", stray.front(),
               "': an option takes one value (lists are comma-separated; see --help)");
    po::store(parsed, vm);
    if (vm.count("help")) return Outcome::kHelp;
    // boost::program_options keeps the first value stored, so storing the command line first
    // and then the files from last to first gives: command line > last file > ... > defaults.
    std::vector<std::string> files;
    if (vm.count("config")) files = vm["config"].as<std::vector<std::string>>();
    for (auto it = files.rbegin(); it != files.rend(); ++it) {
      std::ifstream in(*it);
      if (!in) AU_THROW(UsageError, "cannot open config file '", *it, "'");
      try {
        po::store(po::parse_config_file(in, impl_->described, /*allow_unregistered=*/false), vm);
      } catch (const po::error& e) {
        AU_THROW(UsageError, "config file '", *it, "': ", SafeMessage::of(e));
      }
    }
    po::notify(vm);
  } catch (const po::error& e) {
    AU_THROW(UsageError, SafeMessage::of(e), " (see --help)");
  }
  for (const auto& check : impl_->checks) check();
  return vm.count("dump-config") ? Outcome::kDumpConfig : Outcome::kRun;
}

std::string OptionSet::dumpConfig() const {
  // Group by section (the part before the last dot) keeping registration order.
  std::vector<std::string> sections;
  std::map<std::string, std::vector<std::string>> lines;
  for (const auto& name : impl_->names) {
    const auto dot = name.rfind('.');
    const std::string section = dot == std::string::npos ? "" : name.substr(0, dot);
    const std::string key = dot == std::string::npos ? name : name.substr(dot + 1);
    if (!lines.count(section)) sections.push_back(section);
    lines[section].push_back(key + " = " + impl_->printers.at(name)());
  }
  std::ostringstream out;
  out << "# effective configuration of " << impl_->program << "\n";
  for (const auto& section : sections) {
    if (!section.empty()) out << "\n[" << section << "]\n";
    for (const auto& line : lines[section]) out << line << "\n";
  }
  return out.str();
}

std::string OptionSet::helpText() const {
  std::ostringstream out;
  out << "Usage: " << impl_->program << " [options]\n"
      << impl_->summary << "\n\n"
      << impl_->described << "\nExit codes: 0 done, 64 usage/config error, 65 bad input data, "
      << "75 stopped by a signal after a checkpoint, 1 other error.\n";
  return out.str();
}

}  // namespace au

// The chart script built from web/ by Vite (web/dist/report.js), embedded in the binary at
// build time by cmake/embed_file.cmake so `mercato report` needs no file beside it.
#pragma once

#include <string_view>

namespace mercato::report {

std::string_view report_script();

}  // namespace mercato::report

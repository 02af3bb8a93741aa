// The explorer's script built from web/ by Vite (web/src/explorer.js), embedded in the binary
// at build time by cmake/embed_file.cmake, so `mercato serve` needs no file beside it.
#pragma once

#include <string_view>

namespace mercato::serve {

std::string_view explorer_script();

}  // namespace mercato::serve

#include "base/go_strconv.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <system_error>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/decimal.h"
#include "fmt/format.h"

namespace argus {
namespace {

// Go 1.19's strconv/isprint.go: sorted [lo, hi] pairs of printable runs, and the sorted
// non-printable runes inside those runs (kIsNotPrint32 holds r - 0x10000).
constexpr uint16_t kIsPrint16[] = {
    0x0020, 0x007e, 0x00a1, 0x0377, 0x037a, 0x037f, 0x0384, 0x0556, 0x0559, 0x058a, 0x058d, 0x05c7,
    0x05d0, 0x05ea, 0x05ef, 0x05f4, 0x0606, 0x061b, 0x061e, 0x070d, 0x0710, 0x074a, 0x074d, 0x07b1,
    0x07c0, 0x07fa, 0x07fd, 0x082d, 0x0830, 0x085b, 0x085e, 0x086a, 0x08a0, 0x08c7, 0x08d3, 0x098c,
    0x098f, 0x0990, 0x0993, 0x09b2, 0x09b6, 0x09b9, 0x09bc, 0x09c4, 0x09c7, 0x09c8, 0x09cb, 0x09ce,
    0x09d7, 0x09d7, 0x09dc, 0x09e3, 0x09e6, 0x09fe, 0x0a01, 0x0a0a, 0x0a0f, 0x0a10, 0x0a13, 0x0a39,
    0x0a3c, 0x0a42, 0x0a47, 0x0a48, 0x0a4b, 0x0a4d, 0x0a51, 0x0a51, 0x0a59, 0x0a5e, 0x0a66, 0x0a76,
    0x0a81, 0x0ab9, 0x0abc, 0x0acd, 0x0ad0, 0x0ad0, 0x0ae0, 0x0ae3, 0x0ae6, 0x0af1, 0x0af9, 0x0b0c,
    0x0b0f, 0x0b10, 0x0b13, 0x0b39, 0x0b3c, 0x0b44, 0x0b47, 0x0b48, 0x0b4b, 0x0b4d, 0x0b55, 0x0b57,
    0x0b5c, 0x0b63, 0x0b66, 0x0b77, 0x0b82, 0x0b8a, 0x0b8e, 0x0b95, 0x0b99, 0x0b9f, 0x0ba3, 0x0ba4,
    0x0ba8, 0x0baa, 0x0bae, 0x0bb9, 0x0bbe, 0x0bc2, 0x0bc6, 0x0bcd, 0x0bd0, 0x0bd0, 0x0bd7, 0x0bd7,
    0x0be6, 0x0bfa, 0x0c00, 0x0c39, 0x0c3d, 0x0c4d, 0x0c55, 0x0c5a, 0x0c60, 0x0c63, 0x0c66, 0x0c6f,
    0x0c77, 0x0cb9, 0x0cbc, 0x0ccd, 0x0cd5, 0x0cd6, 0x0cde, 0x0ce3, 0x0ce6, 0x0cf2, 0x0d00, 0x0d4f,
    0x0d54, 0x0d63, 0x0d66, 0x0d96, 0x0d9a, 0x0dbd, 0x0dc0, 0x0dc6, 0x0dca, 0x0dca, 0x0dcf, 0x0ddf,
    0x0de6, 0x0def, 0x0df2, 0x0df4, 0x0e01, 0x0e3a, 0x0e3f, 0x0e5b, 0x0e81, 0x0ebd, 0x0ec0, 0x0ecd,
    0x0ed0, 0x0ed9, 0x0edc, 0x0edf, 0x0f00, 0x0f6c, 0x0f71, 0x0fda, 0x1000, 0x10c7, 0x10cd, 0x10cd,
    0x10d0, 0x124d, 0x1250, 0x125d, 0x1260, 0x128d, 0x1290, 0x12b5, 0x12b8, 0x12c5, 0x12c8, 0x1315,
    0x1318, 0x135a, 0x135d, 0x137c, 0x1380, 0x1399, 0x13a0, 0x13f5, 0x13f8, 0x13fd, 0x1400, 0x169c,
    0x16a0, 0x16f8, 0x1700, 0x1714, 0x1720, 0x1736, 0x1740, 0x1753, 0x1760, 0x1773, 0x1780, 0x17dd,
    0x17e0, 0x17e9, 0x17f0, 0x17f9, 0x1800, 0x180d, 0x1810, 0x1819, 0x1820, 0x1878, 0x1880, 0x18aa,
    0x18b0, 0x18f5, 0x1900, 0x192b, 0x1930, 0x193b, 0x1940, 0x1940, 0x1944, 0x196d, 0x1970, 0x1974,
    0x1980, 0x19ab, 0x19b0, 0x19c9, 0x19d0, 0x19da, 0x19de, 0x1a1b, 0x1a1e, 0x1a7c, 0x1a7f, 0x1a89,
    0x1a90, 0x1a99, 0x1aa0, 0x1aad, 0x1ab0, 0x1ac0, 0x1b00, 0x1b4b, 0x1b50, 0x1b7c, 0x1b80, 0x1bf3,
    0x1bfc, 0x1c37, 0x1c3b, 0x1c49, 0x1c4d, 0x1c88, 0x1c90, 0x1cba, 0x1cbd, 0x1cc7, 0x1cd0, 0x1cfa,
    0x1d00, 0x1f15, 0x1f18, 0x1f1d, 0x1f20, 0x1f45, 0x1f48, 0x1f4d, 0x1f50, 0x1f7d, 0x1f80, 0x1fd3,
    0x1fd6, 0x1fef, 0x1ff2, 0x1ffe, 0x2010, 0x2027, 0x2030, 0x205e, 0x2070, 0x2071, 0x2074, 0x209c,
    0x20a0, 0x20bf, 0x20d0, 0x20f0, 0x2100, 0x218b, 0x2190, 0x2426, 0x2440, 0x244a, 0x2460, 0x2b73,
    0x2b76, 0x2cf3, 0x2cf9, 0x2d27, 0x2d2d, 0x2d2d, 0x2d30, 0x2d67, 0x2d6f, 0x2d70, 0x2d7f, 0x2d96,
    0x2da0, 0x2e52, 0x2e80, 0x2ef3, 0x2f00, 0x2fd5, 0x2ff0, 0x2ffb, 0x3001, 0x3096, 0x3099, 0x30ff,
    0x3105, 0x31e3, 0x31f0, 0x9ffc, 0xa000, 0xa48c, 0xa490, 0xa4c6, 0xa4d0, 0xa62b, 0xa640, 0xa6f7,
    0xa700, 0xa7bf, 0xa7c2, 0xa7ca, 0xa7f5, 0xa82c, 0xa830, 0xa839, 0xa840, 0xa877, 0xa880, 0xa8c5,
    0xa8ce, 0xa8d9, 0xa8e0, 0xa953, 0xa95f, 0xa97c, 0xa980, 0xa9d9, 0xa9de, 0xaa36, 0xaa40, 0xaa4d,
    0xaa50, 0xaa59, 0xaa5c, 0xaac2, 0xaadb, 0xaaf6, 0xab01, 0xab06, 0xab09, 0xab0e, 0xab11, 0xab16,
    0xab20, 0xab6b, 0xab70, 0xabed, 0xabf0, 0xabf9, 0xac00, 0xd7a3, 0xd7b0, 0xd7c6, 0xd7cb, 0xd7fb,
    0xf900, 0xfa6d, 0xfa70, 0xfad9, 0xfb00, 0xfb06, 0xfb13, 0xfb17, 0xfb1d, 0xfbc1, 0xfbd3, 0xfd3f,
    0xfd50, 0xfd8f, 0xfd92, 0xfdc7, 0xfdf0, 0xfdfd, 0xfe00, 0xfe19, 0xfe20, 0xfe6b, 0xfe70, 0xfefc,
    0xff01, 0xffbe, 0xffc2, 0xffc7, 0xffca, 0xffcf, 0xffd2, 0xffd7, 0xffda, 0xffdc, 0xffe0, 0xffee,
    0xfffc, 0xfffd,
};
constexpr uint16_t kIsNotPrint16[] = {
    0x00ad, 0x038b, 0x038d, 0x03a2, 0x0530, 0x0590, 0x06dd, 0x083f, 0x085f, 0x08b5, 0x08e2, 0x0984,
    0x09a9, 0x09b1, 0x09de, 0x0a04, 0x0a29, 0x0a31, 0x0a34, 0x0a37, 0x0a3d, 0x0a5d, 0x0a84, 0x0a8e,
    0x0a92, 0x0aa9, 0x0ab1, 0x0ab4, 0x0ac6, 0x0aca, 0x0b00, 0x0b04, 0x0b29, 0x0b31, 0x0b34, 0x0b5e,
    0x0b84, 0x0b91, 0x0b9b, 0x0b9d, 0x0bc9, 0x0c0d, 0x0c11, 0x0c29, 0x0c45, 0x0c49, 0x0c57, 0x0c8d,
    0x0c91, 0x0ca9, 0x0cb4, 0x0cc5, 0x0cc9, 0x0cdf, 0x0cf0, 0x0d0d, 0x0d11, 0x0d45, 0x0d49, 0x0d80,
    0x0d84, 0x0db2, 0x0dbc, 0x0dd5, 0x0dd7, 0x0e83, 0x0e85, 0x0e8b, 0x0ea4, 0x0ea6, 0x0ec5, 0x0ec7,
    0x0f48, 0x0f98, 0x0fbd, 0x0fcd, 0x10c6, 0x1249, 0x1257, 0x1259, 0x1289, 0x12b1, 0x12bf, 0x12c1,
    0x12d7, 0x1311, 0x1680, 0x170d, 0x176d, 0x1771, 0x191f, 0x1a5f, 0x1dfa, 0x1f58, 0x1f5a, 0x1f5c,
    0x1f5e, 0x1fb5, 0x1fc5, 0x1fdc, 0x1ff5, 0x208f, 0x2b96, 0x2c2f, 0x2c5f, 0x2d26, 0x2da7, 0x2daf,
    0x2db7, 0x2dbf, 0x2dc7, 0x2dcf, 0x2dd7, 0x2ddf, 0x2e9a, 0x3040, 0x3130, 0x318f, 0x321f, 0xa9ce,
    0xa9ff, 0xab27, 0xab2f, 0xfb37, 0xfb3d, 0xfb3f, 0xfb42, 0xfb45, 0xfe53, 0xfe67, 0xfe75, 0xffe7,
};
constexpr uint32_t kIsPrint32[] = {
    0x010000, 0x01004d, 0x010050, 0x01005d, 0x010080, 0x0100fa, 0x010100, 0x010102, 0x010107,
    0x010133, 0x010137, 0x01019c, 0x0101a0, 0x0101a0, 0x0101d0, 0x0101fd, 0x010280, 0x01029c,
    0x0102a0, 0x0102d0, 0x0102e0, 0x0102fb, 0x010300, 0x010323, 0x01032d, 0x01034a, 0x010350,
    0x01037a, 0x010380, 0x0103c3, 0x0103c8, 0x0103d5, 0x010400, 0x01049d, 0x0104a0, 0x0104a9,
    0x0104b0, 0x0104d3, 0x0104d8, 0x0104fb, 0x010500, 0x010527, 0x010530, 0x010563, 0x01056f,
    0x01056f, 0x010600, 0x010736, 0x010740, 0x010755, 0x010760, 0x010767, 0x010800, 0x010805,
    0x010808, 0x010838, 0x01083c, 0x01083c, 0x01083f, 0x01089e, 0x0108a7, 0x0108af, 0x0108e0,
    0x0108f5, 0x0108fb, 0x01091b, 0x01091f, 0x010939, 0x01093f, 0x01093f, 0x010980, 0x0109b7,
    0x0109bc, 0x0109cf, 0x0109d2, 0x010a06, 0x010a0c, 0x010a35, 0x010a38, 0x010a3a, 0x010a3f,
    0x010a48, 0x010a50, 0x010a58, 0x010a60, 0x010a9f, 0x010ac0, 0x010ae6, 0x010aeb, 0x010af6,
    0x010b00, 0x010b35, 0x010b39, 0x010b55, 0x010b58, 0x010b72, 0x010b78, 0x010b91, 0x010b99,
    0x010b9c, 0x010ba9, 0x010baf, 0x010c00, 0x010c48, 0x010c80, 0x010cb2, 0x010cc0, 0x010cf2,
    0x010cfa, 0x010d27, 0x010d30, 0x010d39, 0x010e60, 0x010ead, 0x010eb0, 0x010eb1, 0x010f00,
    0x010f27, 0x010f30, 0x010f59, 0x010fb0, 0x010fcb, 0x010fe0, 0x010ff6, 0x011000, 0x01104d,
    0x011052, 0x01106f, 0x01107f, 0x0110c1, 0x0110d0, 0x0110e8, 0x0110f0, 0x0110f9, 0x011100,
    0x011147, 0x011150, 0x011176, 0x011180, 0x0111f4, 0x011200, 0x01123e, 0x011280, 0x0112a9,
    0x0112b0, 0x0112ea, 0x0112f0, 0x0112f9, 0x011300, 0x01130c, 0x01130f, 0x011310, 0x011313,
    0x011344, 0x011347, 0x011348, 0x01134b, 0x01134d, 0x011350, 0x011350, 0x011357, 0x011357,
    0x01135d, 0x011363, 0x011366, 0x01136c, 0x011370, 0x011374, 0x011400, 0x011461, 0x011480,
    0x0114c7, 0x0114d0, 0x0114d9, 0x011580, 0x0115b5, 0x0115b8, 0x0115dd, 0x011600, 0x011644,
    0x011650, 0x011659, 0x011660, 0x01166c, 0x011680, 0x0116b8, 0x0116c0, 0x0116c9, 0x011700,
    0x01171a, 0x01171d, 0x01172b, 0x011730, 0x01173f, 0x011800, 0x01183b, 0x0118a0, 0x0118f2,
    0x0118ff, 0x011906, 0x011909, 0x011909, 0x01190c, 0x011938, 0x01193b, 0x011946, 0x011950,
    0x011959, 0x0119a0, 0x0119a7, 0x0119aa, 0x0119d7, 0x0119da, 0x0119e4, 0x011a00, 0x011a47,
    0x011a50, 0x011aa2, 0x011ac0, 0x011af8, 0x011c00, 0x011c45, 0x011c50, 0x011c6c, 0x011c70,
    0x011c8f, 0x011c92, 0x011cb6, 0x011d00, 0x011d36, 0x011d3a, 0x011d47, 0x011d50, 0x011d59,
    0x011d60, 0x011d98, 0x011da0, 0x011da9, 0x011ee0, 0x011ef8, 0x011fb0, 0x011fb0, 0x011fc0,
    0x011ff1, 0x011fff, 0x012399, 0x012400, 0x012474, 0x012480, 0x012543, 0x013000, 0x01342e,
    0x014400, 0x014646, 0x016800, 0x016a38, 0x016a40, 0x016a69, 0x016a6e, 0x016a6f, 0x016ad0,
    0x016aed, 0x016af0, 0x016af5, 0x016b00, 0x016b45, 0x016b50, 0x016b77, 0x016b7d, 0x016b8f,
    0x016e40, 0x016e9a, 0x016f00, 0x016f4a, 0x016f4f, 0x016f87, 0x016f8f, 0x016f9f, 0x016fe0,
    0x016fe4, 0x016ff0, 0x016ff1, 0x017000, 0x0187f7, 0x018800, 0x018cd5, 0x018d00, 0x018d08,
    0x01b000, 0x01b11e, 0x01b150, 0x01b152, 0x01b164, 0x01b167, 0x01b170, 0x01b2fb, 0x01bc00,
    0x01bc6a, 0x01bc70, 0x01bc7c, 0x01bc80, 0x01bc88, 0x01bc90, 0x01bc99, 0x01bc9c, 0x01bc9f,
    0x01d000, 0x01d0f5, 0x01d100, 0x01d126, 0x01d129, 0x01d172, 0x01d17b, 0x01d1e8, 0x01d200,
    0x01d245, 0x01d2e0, 0x01d2f3, 0x01d300, 0x01d356, 0x01d360, 0x01d378, 0x01d400, 0x01d49f,
    0x01d4a2, 0x01d4a2, 0x01d4a5, 0x01d4a6, 0x01d4a9, 0x01d50a, 0x01d50d, 0x01d546, 0x01d54a,
    0x01d6a5, 0x01d6a8, 0x01d7cb, 0x01d7ce, 0x01da8b, 0x01da9b, 0x01daaf, 0x01e000, 0x01e018,
    0x01e01b, 0x01e02a, 0x01e100, 0x01e12c, 0x01e130, 0x01e13d, 0x01e140, 0x01e149, 0x01e14e,
    0x01e14f, 0x01e2c0, 0x01e2f9, 0x01e2ff, 0x01e2ff, 0x01e800, 0x01e8c4, 0x01e8c7, 0x01e8d6,
    0x01e900, 0x01e94b, 0x01e950, 0x01e959, 0x01e95e, 0x01e95f, 0x01ec71, 0x01ecb4, 0x01ed01,
    0x01ed3d, 0x01ee00, 0x01ee24, 0x01ee27, 0x01ee3b, 0x01ee42, 0x01ee42, 0x01ee47, 0x01ee54,
    0x01ee57, 0x01ee64, 0x01ee67, 0x01ee9b, 0x01eea1, 0x01eebb, 0x01eef0, 0x01eef1, 0x01f000,
    0x01f02b, 0x01f030, 0x01f093, 0x01f0a0, 0x01f0ae, 0x01f0b1, 0x01f0f5, 0x01f100, 0x01f1ad,
    0x01f1e6, 0x01f202, 0x01f210, 0x01f23b, 0x01f240, 0x01f248, 0x01f250, 0x01f251, 0x01f260,
    0x01f265, 0x01f300, 0x01f6d7, 0x01f6e0, 0x01f6ec, 0x01f6f0, 0x01f6fc, 0x01f700, 0x01f773,
    0x01f780, 0x01f7d8, 0x01f7e0, 0x01f7eb, 0x01f800, 0x01f80b, 0x01f810, 0x01f847, 0x01f850,
    0x01f859, 0x01f860, 0x01f887, 0x01f890, 0x01f8ad, 0x01f8b0, 0x01f8b1, 0x01f900, 0x01fa53,
    0x01fa60, 0x01fa6d, 0x01fa70, 0x01fa74, 0x01fa78, 0x01fa7a, 0x01fa80, 0x01fa86, 0x01fa90,
    0x01faa8, 0x01fab0, 0x01fab6, 0x01fac0, 0x01fac2, 0x01fad0, 0x01fad6, 0x01fb00, 0x01fbca,
    0x01fbf0, 0x01fbf9, 0x020000, 0x02a6dd, 0x02a700, 0x02b734, 0x02b740, 0x02b81d, 0x02b820,
    0x02cea1, 0x02ceb0, 0x02ebe0, 0x02f800, 0x02fa1d, 0x030000, 0x03134a, 0x0e0100, 0x0e01ef,
};
constexpr uint16_t kIsNotPrint32[] = {
    0x000c, 0x0027, 0x003b, 0x003e, 0x018f, 0x039e, 0x0809, 0x0836, 0x0856, 0x08f3, 0x0a04, 0x0a14,
    0x0a18, 0x0e7f, 0x0eaa, 0x10bd, 0x1135, 0x11e0, 0x1212, 0x1287, 0x1289, 0x128e, 0x129e, 0x1304,
    0x1329, 0x1331, 0x1334, 0x133a, 0x145c, 0x1914, 0x1917, 0x1936, 0x1c09, 0x1c37, 0x1ca8, 0x1d07,
    0x1d0a, 0x1d3b, 0x1d3e, 0x1d66, 0x1d69, 0x1d8f, 0x1d92, 0x246f, 0x6a5f, 0x6b5a, 0x6b62, 0xd455,
    0xd49d, 0xd4ad, 0xd4ba, 0xd4bc, 0xd4c4, 0xd506, 0xd515, 0xd51d, 0xd53a, 0xd53f, 0xd545, 0xd551,
    0xdaa0, 0xe007, 0xe022, 0xe025, 0xee04, 0xee20, 0xee23, 0xee28, 0xee33, 0xee38, 0xee3a, 0xee48,
    0xee4a, 0xee4c, 0xee50, 0xee53, 0xee58, 0xee5a, 0xee5c, 0xee5e, 0xee60, 0xee63, 0xee6b, 0xee73,
    0xee78, 0xee7d, 0xee7f, 0xee8a, 0xeea4, 0xeeaa, 0xf0c0, 0xf0d0, 0xf979, 0xf9cc, 0xfb93,
};

// The index of the first element >= x (bsearch16/bsearch32 in Go).
template <typename T, size_t N>
size_t LowerBound(const T (&a)[N], T x) {
  return static_cast<size_t>(std::lower_bound(a, a + N, x) - a);
}

template <typename T, size_t N>
bool InPairs(const T (&pairs)[N], T x) {
  const size_t i = LowerBound(pairs, x);
  return i < N && pairs[i & ~size_t{1}] <= x && x <= pairs[i | 1];
}

template <size_t N>
bool InList(const uint16_t (&list)[N], uint16_t x) {
  const size_t j = LowerBound(list, x);
  return j < N && list[j] == x;
}

// Go's appendEscapedRune(buf, r, quote, false, false): r (a valid rune) as it appears between
// `quote` characters in a Go literal.
void AppendEscapedRune(char32_t r, char quote, std::string* out) {
  if (r == static_cast<char32_t>(quote) || r == '\\') {
    out->push_back('\\');
    out->push_back(static_cast<char>(r));
    return;
  }
  if (GoIsPrint(r)) {
    AppendUtf8(r, out);
    return;
  }
  switch (r) {
    case '\a':
      *out += "\\a";
      break;
    case '\b':
      *out += "\\b";
      break;
    case '\f':
      *out += "\\f";
      break;
    case '\n':
      *out += "\\n";
      break;
    case '\r':
      *out += "\\r";
      break;
    case '\t':
      *out += "\\t";
      break;
    case '\v':
      *out += "\\v";
      break;
    default:
      if (r < 0x20 || r == 0x7f) {
        absl::StrAppendFormat(out, "\\x%02x", static_cast<uint32_t>(r));
      } else if (r < 0x10000) {
        absl::StrAppendFormat(out, "\\u%04x", static_cast<uint32_t>(r));
      } else {
        absl::StrAppendFormat(out, "\\U%08x", static_cast<uint32_t>(r));
      }
  }
}

bool ValidRune(char32_t r) { return r <= 0x10ffff && !(r >= 0xd800 && r <= 0xdfff); }

}  // namespace

char32_t DecodeRune(absl::string_view s, int* width) {
  const auto b0 = static_cast<unsigned char>(s[0]);
  *width = 1;
  if (b0 < 0x80) return b0;
  int n;
  char32_t r, min;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    n = 2, r = b0 & 0x1f, min = 0x80;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    n = 3, r = b0 & 0x0f, min = 0x800;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    n = 4, r = b0 & 0x07, min = 0x10000;
  } else {
    return kRuneError;
  }
  if (s.size() < static_cast<size_t>(n)) return kRuneError;
  for (int i = 1; i < n; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if ((b & 0xc0) != 0x80) return kRuneError;
    r = (r << 6) | (b & 0x3f);
  }
  if (r < min || !ValidRune(r)) return kRuneError;
  *width = n;
  return r;
}

bool GoIsPrint(char32_t r) {
  if (r <= 0xff) {
    if (r >= 0x20 && r <= 0x7e) return true;
    if (r >= 0xa1) return r != 0xad;
    return false;
  }
  if (r < 0x10000) {
    const auto rr = static_cast<uint16_t>(r);
    return InPairs(kIsPrint16, rr) && !InList(kIsNotPrint16, rr);
  }
  if (!InPairs(kIsPrint32, static_cast<uint32_t>(r))) return false;
  return r >= 0x20000 || !InList(kIsNotPrint32, static_cast<uint16_t>(r - 0x10000));
}

std::string GoQuote(absl::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    int n;
    const char32_t r = DecodeRune(s.substr(i), &n);
    if (n == 1 && r == kRuneError) {
      absl::StrAppendFormat(&out, "\\x%02x", static_cast<uint8_t>(s[i]));
    } else {
      AppendEscapedRune(r, '"', &out);
    }
    i += static_cast<size_t>(n);
  }
  out.push_back('"');
  return out;
}

std::string GoQuoteRune(char32_t r) {
  std::string out = "'";
  AppendEscapedRune(ValidRune(r) ? r : kRuneError, '\'', &out);
  out.push_back('\'');
  return out;
}

namespace {

// Go's math.NaN(), the bits strconv.ParseFloat returns for "NaN".
constexpr uint64_t kGoNaNBits = 0x7ff8000000000001;

// 10^0 .. 10^22: every one is exact in a double, so m * 10^e and m / 10^e round once.
constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

absl::Status FloatError(absl::string_view s, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("strconv.ParseFloat: parsing ", GoQuote(s), ": ", what));
}

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualFoldAscii(absl::string_view a, absl::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != lower[i]) return false;
  }
  return true;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHexLetter(char c) { return LowerAscii(c) >= 'a' && LowerAscii(c) <= 'f'; }

// Eight ASCII digits at once (SWAR, little-endian loads): whether all of v's bytes are digits,
// and their value.
bool AreEightDigits(uint64_t v) {
  return ((v & 0xf0f0f0f0f0f0f0f0) | (((v + 0x0606060606060606) & 0xf0f0f0f0f0f0f0f0) >> 4)) ==
         0x3333333333333333;
}
uint64_t EightDigitsValue(uint64_t v) {
  v -= 0x3030303030303030;
  v = v * 10 + (v >> 8);  // pairs
  return (((v & 0x000000ff000000ff) * (100 + (1000000ULL << 32))) +
          (((v >> 16) & 0x000000ff000000ff) * (1 + (10000ULL << 32)))) >>
         32;
}

// Accumulates the digits at p into *mant (wrapping past 2^64: callers count digits) and
// returns where they end.
const char* AccumulateDigits(const char* p, const char* end, uint64_t* mant) {
  uint64_t m = *mant;
  if constexpr (std::endian::native == std::endian::little) {
    while (end - p >= 8) {
      uint64_t v;
      std::memcpy(&v, p, 8);
      if (!AreEightDigits(v)) break;
      m = m * 100000000 + EightDigitsValue(v);
      p += 8;
    }
  }
  for (unsigned d; p < end && (d = static_cast<unsigned char>(*p) - '0') <= 9; ++p) {
    m = m * 10 + d;
  }
  *mant = m;
  return p;
}

// Go's underscoreOK for the whole number `s`: each '_' sits between digits, or between the
// base prefix and a digit.
bool UnderscoreOk(absl::string_view s) {
  char saw = '^';  // ^ start, 0 digit or base prefix, _ underscore, ! anything else
  size_t i = 0;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  bool hex = false;
  if (s.size() >= 2 && s[0] == '0' &&
      (LowerAscii(s[1]) == 'b' || LowerAscii(s[1]) == 'o' || LowerAscii(s[1]) == 'x')) {
    i = 2;
    saw = '0';
    hex = LowerAscii(s[1]) == 'x';
  }
  for (; i < s.size(); ++i) {
    if (IsDigit(s[i]) || (hex && IsHexLetter(s[i]))) {
      saw = '0';
    } else if (s[i] == '_') {
      if (saw != '0') return false;
      saw = '_';
    } else {
      if (saw == '_') return false;
      saw = '!';
    }
  }
  return saw != '_';
}

// The syntax of Go's readFloat for `body` (the number without its sign): digits with at most
// one '.' and at least one digit, then an optional e|E [+-] digits exponent; or 0x|0X, hex
// digits likewise and a mandatory p|P exponent. '_' is skipped wherever readFloat skips it
// (*underscores tells the caller to judge them with UnderscoreOk). On success *clean gets what
// from_chars reads (no underscores, no 0x), and *magnitude the sign of the binary or decimal
// exponent of the leading significant digit (> 0 large, < 0 small, 0 for a zero mantissa),
// which tells overflow from underflow.
bool ReadFloat(absl::string_view body, std::string* clean, bool* hex, bool* underscores,
               int* magnitude) {
  size_t i = 0;
  *hex = body.size() > 2 && body[0] == '0' && LowerAscii(body[1]) == 'x';
  if (*hex) i = 2;
  const int64_t weight = *hex ? 4 : 1;  // exponent units per digit
  int64_t int_digits = 0;               // significant digits before the point
  int64_t lead_zeros = 0;               // zeros after the point before the first significant one
  bool saw_digit = false, saw_dot = false, nonzero = false;
  for (; i < body.size(); ++i) {
    const char c = body[i];
    if (c == '_') {
      *underscores = true;
      continue;
    }
    if (c == '.') {
      if (saw_dot) break;
      saw_dot = true;
    } else if (IsDigit(c) || (*hex && IsHexLetter(c))) {
      saw_digit = true;
      if (c != '0') nonzero = true;
      if (!saw_dot) {
        if (nonzero) ++int_digits;
      } else if (!nonzero) {
        ++lead_zeros;
      }
    } else {
      break;
    }
    clean->push_back(c);
  }
  if (!saw_digit) return false;
  int64_t exp = 0;
  if (i < body.size() && LowerAscii(body[i]) == (*hex ? 'p' : 'e')) {
    clean->push_back(body[i++]);
    bool neg = false;
    if (i < body.size() && (body[i] == '+' || body[i] == '-')) {
      neg = body[i] == '-';
      clean->push_back(body[i++]);
    }
    if (i >= body.size() || !IsDigit(body[i])) return false;
    for (; i < body.size() && (IsDigit(body[i]) || body[i] == '_'); ++i) {
      if (body[i] == '_') {
        *underscores = true;
        continue;
      }
      clean->push_back(body[i]);
      if (exp < 100000000) exp = exp * 10 + (body[i] - '0');
    }
    if (neg) exp = -exp;
  } else if (*hex) {
    return false;
  }
  if (i != body.size()) return false;
  const int64_t lead =
      int_digits > 0 ? (int_digits - 1) * weight + exp : exp - (lead_zeros + 1) * weight;
  *magnitude = !nonzero ? 0 : (lead >= 0 ? 1 : -1);
  return true;
}

// Everything but the common plain decimals: specials, hex, underscores, hard digits, errors.
absl::StatusOr<double> GoParseFloatSlow(absl::string_view s) {
  absl::string_view body = s;
  bool neg = false;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  // Go's special(): [+-]inf, [+-]infinity, nan (no sign), any case.
  if (EqualFoldAscii(body, "inf") || EqualFoldAscii(body, "infinity")) {
    return neg ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  }
  if (body.size() == s.size() && EqualFoldAscii(body, "nan")) {
    return std::bit_cast<double>(kGoNaNBits);
  }
  std::string clean;
  bool hex = false, underscores = false;
  int magnitude = 0;
  if (!ReadFloat(body, &clean, &hex, &underscores, &magnitude) ||
      (underscores && !UnderscoreOk(s))) {
    return FloatError(s, "invalid syntax");
  }
  double v = 0;
  const char* const end = clean.data() + clean.size();
  const auto r = std::from_chars(clean.data(), end, v,
                                 hex ? std::chars_format::hex : std::chars_format::general);
  if (r.ec == std::errc::result_out_of_range) {
    if (magnitude > 0) return FloatError(s, "value out of range");
    v = 0;  // underflow: Go returns (signed) zero without an error
  } else if (r.ec != std::errc() || r.ptr != end) {
    return FloatError(s, "invalid syntax");
  }
  return neg ? -v : v;
}

}  // namespace

absl::StatusOr<double> GoParseFloat(absl::string_view s) {
  // One scan of the common syntax, [+-]digits[.digits][(e|E)[+-]digits]; anything else
  // (specials, hex, underscores, bad syntax) is left to the slow path, which words the errors.
  const char* p = s.data();
  const char* const end = p + s.size();
  bool neg = false;
  if (p < end && (*p == '+' || *p == '-')) {
    neg = *p == '-';
    ++p;
  }
  const char* const digits_begin = p;
  // Digits accumulate into mant (leading zeros do no harm); more than 19 of them could
  // overflow it, and those rare values take from_chars below.
  uint64_t mant = 0;
  p = AccumulateDigits(p, end, &mant);
  size_t digits = static_cast<size_t>(p - digits_begin);
  int frac = 0;
  if (p < end && *p == '.') {
    const char* const frac_begin = ++p;
    p = AccumulateDigits(p, end, &mant);
    digits += static_cast<size_t>(p - frac_begin);
    frac = static_cast<int>(std::min<ptrdiff_t>(p - frac_begin, 100000));  // keeps exp in range
  }
  if (digits == 0) return GoParseFloatSlow(s);  // "", ".", "+", "inf", "nan", ...
  int exp = 0;
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    bool exp_neg = false;
    if (p < end && (*p == '+' || *p == '-')) exp_neg = *p++ == '-';
    const char* const exp_begin = p;
    for (; p < end && IsDigit(*p); ++p) {
      if (exp < 100000) exp = exp * 10 + (*p - '0');
    }
    if (p == exp_begin) return GoParseFloatSlow(s);
    if (exp_neg) exp = -exp;
  }
  if (p != end) return GoParseFloatSlow(s);
  // Clinger's fast path: a mantissa of at most 2^53 and a decimal exponent within +-22 are
  // both exact doubles, so one multiplication or division rounds correctly.
  exp -= frac;
  if (digits <= 19 && mant <= (uint64_t{1} << 53) && exp >= -22 && exp <= 22) {
    double v = static_cast<double>(mant);
    if (exp < 0) {
      v /= kPow10[-exp];
    } else if (exp > 0) {
      v *= kPow10[exp];
    }
    return neg ? -v : v;
  }
  // Valid syntax, harder digits: from_chars rounds correctly; overflow and underflow go to
  // the slow path, which tells them apart.
  double v = 0;
  const auto r = std::from_chars(digits_begin, end, v);
  if (r.ec != std::errc() || r.ptr != end) return GoParseFloatSlow(s);
  return neg ? -v : v;
}

int64_t GoFloatToInt64(double x) {
  // 2^63 is exact as a double; anything at or past it (or below -2^63, or NaN) does not convert.
  if (x >= -9223372036854775808.0 && x < 9223372036854775808.0) return static_cast<int64_t>(x);
  return std::numeric_limits<int64_t>::min();
}

std::string GoFormatFixed(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return absl::StrFormat("%.6f", v);
}

char* GoWriteShortest(double v, int min_exp, int max_exp, char* p) {
  if (std::isnan(v)) {
    std::memcpy(p, "NaN", 3);
    return p + 3;
  }
  if (std::isinf(v)) {
    std::memcpy(p, v > 0 ? "+Inf" : "-Inf", 4);
    return p + 4;
  }
  if (std::signbit(v)) *p++ = '-';
  if (v == 0) {
    *p++ = '0';
    return p;
  }
  // Dragonbox (fmt's engine for "{}") gives the shortest digits that read back exactly, the
  // closest to v among them, as Go's shortest formatting picks them.
  const auto dec = fmt::detail::dragonbox::to_decimal(std::fabs(v));
  uint64_t significand = dec.significand;
  int exponent = dec.exponent;
  while (significand % 10 == 0) {
    significand /= 10;
    ++exponent;
  }
  const int n = DecimalDigits(significand);
  const int exp = n - 1 + exponent;  // of the first digit
  // The digits are written straight to p, split where a '.' goes.
  if (exp < min_exp || exp >= max_exp) {
    const auto [first, rest] = DivModPowerOfTen(significand, n - 1);
    *p++ = static_cast<char>('0' + first);
    if (n > 1) {
      *p++ = '.';
      p = WriteDecimalPadded(rest, n - 1, p);
    }
    *p++ = 'e';
    *p++ = exp < 0 ? '-' : '+';
    const int abs_exp = exp < 0 ? -exp : exp;
    return WriteDecimalPadded(static_cast<uint64_t>(abs_exp), abs_exp < 100 ? 2 : 3, p);
  }
  if (exp < 0) {  // 0.000ddd
    *p++ = '0';
    *p++ = '.';
    std::memset(p, '0', -exp - 1);
    return WriteDecimalPadded(significand, n, p + (-exp - 1));
  }
  if (exp + 1 >= n) {  // ddd000
    p = WriteDecimalPadded(significand, n, p);
    std::memset(p, '0', exp + 1 - n);
    return p + (exp + 1 - n);
  }
  const auto [integer, fraction] = DivModPowerOfTen(significand, n - exp - 1);  // dd.ddd
  p = WriteDecimalPadded(integer, exp + 1, p);
  *p++ = '.';
  return WriteDecimalPadded(fraction, n - exp - 1, p);
}

namespace {

// GoWriteShortest into a string. Doubles' decimal exponents lie in [-324, 308], so ±400 means
// "never in exponent form".
std::string FormatShortest(double v, int min_exp, int max_exp) {
  char buf[kGoShortestMaxChars + 400];
  return std::string(buf, GoWriteShortest(v, min_exp, max_exp, buf));
}

}  // namespace

std::string GoFormatG(double v) { return FormatShortest(v, -4, 6); }

std::string GoFormatF(double v) { return FormatShortest(v, -400, 400); }

void AppendUtf8(char32_t rune, std::string* out) {
  const auto r = static_cast<uint32_t>(rune);
  if (r < 0x80) {
    out->push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (r >> 6)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (r >> 12)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (r >> 18)));
    out->push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

bool ValidUtf8(absl::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
#ifdef __SSE2__
  // ASCII sixteen bytes at a time.
  while (end - p >= 16 &&
         _mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))) == 0) {
    p += 16;
  }
#endif
  while (p < end) {
    // ASCII eight bytes at a time.
    if (end - p >= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      if ((w & 0x8080808080808080ULL) == 0) {
        p += 8;
        continue;
      }
    }
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    // Lead byte -> length and the allowed range of the second byte (Go's acceptRanges).
    int len;
    unsigned char lo = 0x80, hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) {
      len = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3;
      if (c == 0xe0) lo = 0xa0;
      if (c == 0xed) hi = 0x9f;  // no surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4;
      if (c == 0xf0) lo = 0x90;
      if (c == 0xf4) hi = 0x8f;  // nothing past U+10FFFF
    } else {
      return false;
    }
    if (end - p < len) return false;
    if (p[1] < lo || p[1] > hi) return false;
    for (int k = 2; k < len; ++k) {
      if ((p[k] & 0xc0) != 0x80) return false;
    }
    p += len;
  }
  return true;
}

}  // namespace argus

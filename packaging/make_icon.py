"""Draw the program's icon (a stamped folder: "MC" on the office's red) as .ico and .png.

Made at build time so that no binary is kept in the repository: ``python make_icon.py OUT_DIR``.
"""
from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont


def draw(size: int = 256) -> Image.Image:
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    r = size // 8
    d.rounded_rectangle((0, 0, size - 1, size - 1), radius=r, fill=(178, 34, 34, 255))
    d.rounded_rectangle((size * 0.08, size * 0.08, size * 0.92, size * 0.92), radius=r * 0.7,
                        outline=(255, 215, 0, 255), width=max(2, size // 32))
    font_path = Path(__file__).resolve().parent.parent / "resources" / "fonts" / "LiberationSerif-Bold.ttf"
    font = ImageFont.truetype(str(font_path), int(size * 0.5))
    d.text((size / 2, size / 2), "MC", font=font, fill=(255, 255, 255, 255), anchor="mm")
    return img


def main(out: str) -> None:
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    img = draw()
    img.save(folder / "motcua.png")
    img.save(folder / "motcua.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])


if __name__ == "__main__":
    main(sys.argv[1])

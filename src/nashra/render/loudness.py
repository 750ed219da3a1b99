"""Integrated loudness (ITU-R BS.1770-4 / EBU R 128) measured while an episode is joined.

Measuring with a separate ffmpeg pass cost about a fifth of the encoding time.
Here the episode's PCM is measured as it streams past, clip by clip: the signal
is cut into 100 ms segments, the K-weighting filter is applied in the frequency
domain (Parseval: a segment's weighted energy is its power spectrum times the
filter's squared magnitude), and the standard gating runs over 400 ms blocks
overlapping by 75%. The result agrees with ffmpeg's ebur128 filter to within a
few tenths of a LU on speech (tested), well inside the ±1 LU the podcast norm allows.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

ABSOLUTE_GATE = -70.0
RELATIVE_GATE = -10.0
SILENCE = float("-inf")


def _k_weighting_power(frame_rate: int, size: int) -> npt.NDArray[np.float64]:
    """|H(f)|² of the K-weighting filter at the rfft frequencies of a `size`-sample segment.

    The two biquads (a high shelf, then the RLB high-pass) are derived for any
    sample rate from their analogue prototypes, as libebur128 does.
    """
    omega = 2 * np.pi * np.fft.rfftfreq(size, d=1.0 / frame_rate) / frame_rate
    z = np.exp(-1j * omega)

    f0, gain_db, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = math.tan(math.pi * f0 / frame_rate)
    vh = 10 ** (gain_db / 20)
    vb = vh**0.4996667741545416
    a0 = 1 + k / q + k * k
    shelf_b = (
        (vh + vb * k / q + k * k) / a0,
        2 * (k * k - vh) / a0,
        (vh - vb * k / q + k * k) / a0,
    )
    shelf_a = (1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0)

    f0, q = 38.13547087602444, 0.5003270373238773
    k = math.tan(math.pi * f0 / frame_rate)
    a0 = 1 + k / q + k * k
    pass_b = (1.0, -2.0, 1.0)
    pass_a = (1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0)

    def response(b: tuple[float, ...], a: tuple[float, ...]) -> npt.NDArray[np.complex128]:
        numerator = b[0] + b[1] * z + b[2] * z * z
        denominator = a[0] + a[1] * z + a[2] * z * z
        return numerator / denominator  # type: ignore[no-any-return]

    power = np.abs(response(shelf_b, shelf_a) * response(pass_b, pass_a)) ** 2
    return power.astype(np.float64)


class LoudnessMeter:
    """Feed it 16-bit mono PCM in pieces; ask for the integrated loudness at the end."""

    def __init__(self, frame_rate: int) -> None:
        self.frame_rate = frame_rate
        self.step = frame_rate // 10
        size = self.step
        # rfft keeps one side of the spectrum: count the mirrored bins twice.
        mirror = np.full(size // 2 + 1, 2.0)
        mirror[0] = 1.0
        if size % 2 == 0:
            mirror[-1] = 1.0
        self._weights = _k_weighting_power(frame_rate, size) * mirror / (size * size)
        self._pending = np.zeros(0, dtype=np.float64)
        self._energies: list[npt.NDArray[np.float64]] = []

    def add(self, pcm: bytes) -> None:
        samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64) / 32768.0
        if self._pending.size:
            samples = np.concatenate((self._pending, samples))
        whole = samples.size // self.step * self.step
        if whole:
            segments = samples[:whole].reshape(-1, self.step)
            spectrum = np.fft.rfft(segments, axis=1)
            power = spectrum.real**2 + spectrum.imag**2
            self._energies.append(power @ self._weights)
        self._pending = samples[whole:]

    def add_silence(self, frames: int) -> None:
        self.add(bytes(2 * frames))

    def integrated(self) -> float:
        """LUFS over everything added, gated as BS.1770-4 says; -inf for silence."""
        if self._pending.size:
            # The last partial segment counts as if padded with silence.
            self.add(bytes(2 * (self.step - self._pending.size)))
        if not self._energies:
            return SILENCE
        z = np.concatenate(self._energies)
        # Each 400 ms block is four consecutive 100 ms segments (75% overlap).
        blocks = np.array([z.mean()]) if z.size < 4 else (z[:-3] + z[1:-2] + z[2:-1] + z[3:]) / 4
        with np.errstate(divide="ignore"):
            levels = -0.691 + 10 * np.log10(blocks)
        loud = blocks[levels > ABSOLUTE_GATE]
        if not loud.size:
            return SILENCE
        threshold = -0.691 + 10 * math.log10(float(loud.mean())) + RELATIVE_GATE
        gated = blocks[(levels > ABSOLUTE_GATE) & (levels > threshold)]
        return -0.691 + 10 * math.log10(float(gated.mean()))

package io.pagestream.structure;

/**
 * One box the model gave, in its three units.
 *
 * @param grid   as the model wrote it on its 0–1000 grid, after clamping into the grid and ordering the corners
 * @param pixels in pixels of the rendered image the model saw
 * @param points in PDF points of the original page, top-left origin (PDF user space has y growing upwards:
 *               {@code pageHeight − y} converts)
 */
public record Placement(Box grid, Box pixels, Box points) {}

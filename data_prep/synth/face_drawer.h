// Draws one face at one expression onto a FaceCanvas: body, face oval, hair, wrinkles, eyes,
// brows, nose, mouth and glasses, each moved by the AUs that act on it (internal to the renderer).
#pragma once

#include "synth/face_canvas.h"
#include "synth/mouth_shape.h"

namespace au::synth {

// How far the chin moves down at these AUs (AU26, jaw drop), in canonical units.
double jawDrop(const AuIntensity& au);

// Implemented in face_drawer.cpp (order of drawing, jaw, head, hair, nose, glasses),
// face_drawer_eyes.cpp (eyes, brows, forehead) and face_drawer_mouth.cpp (mouth, chin, folds).
class FaceDrawer {
 public:
  FaceDrawer(const FaceIdentity& identity, const AuIntensity& au, FaceCanvas& canvas);

  // Paints every part, back to front.
  void draw();

 private:
  // The mandible rotates about the ear: points below the joint line move down in proportion to
  // their distance from it, and the jaw narrows slightly.
  double jawWeight(double y) const;
  Point2d withJawDropped(Point2d point) const;
  double browCentreY() const;

  void drawBody();
  void drawFaceShape();
  void drawHairCap();
  void drawForehead();
  void drawCheeks();
  void drawEye(int side);
  void drawBrow(int side);
  void drawGlabella();
  void drawNose();
  void drawFold(int side);
  void drawMouth();
  void drawMouthInterior();
  void drawMouthCreases();
  // A short curve beside each mouth corner; the offsets from the corner are those of the right
  // corner, mirrored for the left.
  void drawBesideCorners(Point2d start, Point2d control, Point2d end, const cv::Scalar& colour,
                         double thickness);
  void drawChin();
  void drawGlasses();

  const FaceIdentity& identity_;
  FaceCanvas& canvas_;
  ClampedAus au_{};
  cv::Scalar skin_;
  double chin_y_ = 0;       // chin with the mouth closed
  double jaw_joint_y_ = 0;  // line about which the jaw opens
  double jaw_drop_ = 0;     // chin displacement at this expression
  MouthShape mouth_;        // set by draw() before the parts that follow the lips
};

}  // namespace au::synth

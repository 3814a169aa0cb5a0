"""How FER2013 frames a face, measured with the detector the pipeline uses (OpenCV's Haar cascade, which
Facemoji's detector matches box for box): every third PublicTest image is enlarged 4x, padded by
replicating its border, and searched with the pipeline's settings. The ratio of the 48x48 frame to the
Haar box gives the margin that FaceCrop adds around a detected box. Reference tool: needs Debian's
python3-opencv and the dataset at ../shared/data/fer2013; run from the repository root with
/usr/bin/python3 tools/measure_fer_framing.py. Results are in docs/PIPELINE.md.
"""
import cv2, glob, numpy as np, sys
casc = cv2.CascadeClassifier('/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml')
files = sorted(glob.glob('../shared/data/fer2013/test/*/*.jpg'))[::3]
ratios=[]; dx=[]; dy=[]; found=0
S=4; P=48*S//2
for f in files:
    g = cv2.imread(f, cv2.IMREAD_GRAYSCALE)
    up = cv2.resize(g, (48*S,48*S), interpolation=cv2.INTER_LINEAR)
    pad = cv2.copyMakeBorder(up, P,P,P,P, cv2.BORDER_REPLICATE)
    boxes = casc.detectMultiScale(pad, 1.1, 5, minSize=(40,40))
    if len(boxes)!=1: continue
    x,y,w,h = boxes[0]; found+=1
    ratios.append(48*S / w)
    dx.append(((x + w/2) - (P + 24*S)) / w); dy.append(((y + h/2) - (P + 24*S)) / h)
r=np.array(ratios)
print(f"images {len(files)}, one face found in {found}")
print(f"crop/box side ratio: median {np.median(r):.3f}, mean {r.mean():.3f}, p25 {np.percentile(r,25):.3f}, p75 {np.percentile(r,75):.3f}")
print(f"centre offset (box units): dx median {np.median(dx):+.3f}, dy median {np.median(dy):+.3f}")
print(f"margin per side = (ratio-1)/2 = {(np.median(r)-1)/2:.3f}")

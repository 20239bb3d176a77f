"""Home: what the lab is, the six ideas as cards, how to use it in a lecture, notation."""

import streamlit as st

from ui.entry import run_inside_app
from ui.ideas import IDEAS

run_inside_app()
st.title("Optimization Setup Lab")
st.write(
    "Before gradient descent can learn anything, the problem has to be set up so that it "
    "*can*: inputs on comparable scales, weights that keep signals alive through depth, "
    "and a backward pass you have proved correct. Each page below turns one idea of that "
    "lecture week into an experiment you can steer."
)

# A row of columns per three cards: a phone stacks each row in turn, so the cards keep
# their order (one set of columns would stack 1, 4, 2, 5, 3, 6).
for row in range(0, len(IDEAS), 3):
    for column, (number, idea) in zip(
        st.columns(3), enumerate(IDEAS[row : row + 3], start=row + 1), strict=False
    ):
        with column.container(border=True):
            st.markdown(f"**{number}. {idea.title}**")
            st.caption(idea.promise)
            st.page_link(idea.path, label="Open", icon=idea.icon)

st.header("Using it in a lecture")
st.markdown(
    "- The pages follow the lecture's order; open them left to right.\n"
    "- Every control is kept in the page's URL: set up an experiment, copy the address, "
    "and the same link reopens exactly that setting on a projector or a student's laptop.\n"
    "- Charts can be enlarged with the button at their top right."
)

st.header("Notation")
st.markdown("The course's notation is used everywhere, with one example per **column**:")
# One statement per line, so that none is wider than a phone.
st.latex(
    r"\begin{gathered} X \in \mathbb{R}^{n_x \times m} \\"
    r" W^{[l]} \in \mathbb{R}^{n^{[l]} \times n^{[l-1]}},\quad"
    r" b^{[l]} \in \mathbb{R}^{n^{[l]} \times 1} \\"
    r" Z^{[l]} = W^{[l]} A^{[l-1]} + b^{[l]},\quad"
    r" A^{[l]} = g^{[l]}\!\left(Z^{[l]}\right) \end{gathered}"
)
st.markdown(
    "$m$ examples, $n_x$ input features, $L$ layers with $n^{[l]}$ units in layer $l$; "
    "$\\theta$ is every $W^{[l]}, b^{[l]}$ flattened into one vector and $d\\theta$ its "
    "gradient, so that gradient checking can compare the two."
)

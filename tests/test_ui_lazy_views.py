"""What a window builds only when first needed (a unit's curve, the views in closed docks) is drawn as if built
at the start: stacked under the fit and the points, laid out in its dock."""

from PySide6.QtCore import Qt

from playground.ui.hidden_space import HiddenSpaceView


def _paint_order(plot) -> list:
    """The plot's items in the order they are painted (Qt sorts an item's children by stacking order)."""
    return plot.plotItem.vb.childGroup.childItems()


def test_unit_curves_are_made_as_units_come_and_painted_under_the_fit_and_the_points(window, qtbot, fresh):
    session, plot = window.session, window.fit_view.plot
    for hidden in ((3,), (7,), (2,)):
        if session.hidden != hidden:
            assert session.set_architecture(hidden, session.activation)
        fresh(session)
        drawn = [c for c in plot.unit_curves if c.xData is not None and len(c.xData) > 0]
        assert len(drawn) == hidden[0]  # one curve per unit of the layer, any others empty
        order = _paint_order(plot)
        positions = [order.index(c) for c in plot.unit_curves]
        assert positions == sorted(positions)  # unit 1 first, as the legend lists them
        assert max(positions) < min(order.index(i) for i in (plot.bias_line, plot.fit_curve, plot.points))
    assert len(plot.unit_curves) == 7  # made for the widest layer so far, never for 64 units up front


def test_the_hidden_space_plot_is_built_when_its_view_is_first_opened(window, qtbot):
    view = window.insight.hidden_space
    assert isinstance(view, HiddenSpaceView) and view._space is None  # a window that never opens it never builds it
    window.session.load_preset("xor")
    window.insight.open_hidden_space()
    qtbot.waitUntil(lambda: view._space is not None and len(view.space.coordinates) > 0, timeout=5_000)
    assert view.space.isVisible() and view.space.height() > 100


def test_the_lecture_views_are_built_when_first_opened_and_fill_their_dock(window, qtbot):
    from playground.ui.view_docks import BOTTOM_SHARE, LazyView, content

    docks = [d for d in window.view_docks.docks if isinstance(d.widget(), LazyView)]
    assert {d.objectName() for d in docks} == {"restarts", "saddle_point", "ad_modes"}
    assert all(d.widget().built is None for d in docks)  # a window that never opens them never builds them
    dock = next(d for d in docks if d.objectName() == "saddle_point")
    action = next(a for a in window.view_menu.actions() if a.text().startswith("&Saddle point"))
    action.trigger()  # View ▸ Saddle point
    qtbot.waitUntil(lambda: not dock.visibleRegion().isEmpty())
    view = content(dock)
    assert view is window.saddle and view.dock is dock and view.action is action
    qtbot.waitUntil(lambda: view.size() == dock.widget().size())  # edge to edge in its place holder
    # placed by the rule as a view built at the start is: under the plots, BOTTOM_SHARE of their height (a view
    # built as its dock opened was once measured at its place holder's height: the dock came out 403 px, not 344)
    assert window.dockWidgetArea(dock) == Qt.BottomDockWidgetArea
    qtbot.waitUntil(lambda: abs(dock.height() - BOTTOM_SHARE * window.view_docks.plots_height()) <= 2)
    assert view.isVisible() and view.surface.isVisible() and len(view.paths[1].getData()[0]) > 10
    assert all(d.widget().built is None for d in docks if d is not dock)  # the others still not built
